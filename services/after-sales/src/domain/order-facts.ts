/**
 * What after-sales needs to know about an order to judge a request against the
 * published policy (DOMAIN.md, After-sales): its kind, where it is in its life, and when
 * it was delivered (the warranty and return periods start there); whose it is, what was
 * ordered and for how much (a case names goods of the order, and refunds at most its
 * total). Pure.
 */
export interface OrderFacts {
  orderId: string;
  storeId: string;
  kind: string;
  status: string;
  deliveredAt?: Date;
  closedAt?: Date;
  /** Empty for a guest order, and until the creation is heard of. */
  customerId: string;
  lines: OrderedLine[];
  grandTotalMinor: number;
  currency: string;
}

export interface OrderedLine {
  sku: string;
  quantity: number;
}

/** What an order's creation tells beyond its kind and status. */
export interface OrderContent {
  customerId: string;
  lines: OrderedLine[];
  grandTotalMinor: number;
  currency: string;
}

/** The content of an order whose creation after-sales has not heard of yet. */
const unknownContent: OrderContent = { customerId: "", lines: [], grandTotalMinor: 0, currency: "" };

export type OrderFact =
  | ({ type: "created"; orderId: string; storeId: string; kind: string; status: string } & OrderContent)
  | { type: "status-changed"; orderId: string; storeId: string; status: string; at: Date }
  /** Out of stock, the customer took substitutes: the goods they will receive and what the order now costs. */
  | { type: "lines-substituted"; orderId: string; storeId: string; lines: OrderedLine[]; grandTotalMinor: number };

/** The kind of an order whose creation after-sales has not heard of yet. */
const unknownKind = "unknown";

export function evolveFacts(facts: OrderFacts | undefined, fact: OrderFact): OrderFacts {
  switch (fact.type) {
    case "created": {
      const content = { customerId: fact.customerId, lines: fact.lines, grandTotalMinor: fact.grandTotalMinor, currency: fact.currency };
      // A status change recorded first (the creation replayed later, from a dead letter) left
      // the kind and content unknown: the creation tells them, while the later status stays,
      // and so do lines a substitution heard meanwhile set (only a substitution sets lines
      // before the creation: the goods as they now stand, not as first ordered).
      if (facts && facts.kind !== unknownKind) return facts;
      if (facts) return { ...facts, kind: fact.kind, ...content, ...(facts.lines.length > 0 ? { lines: facts.lines, grandTotalMinor: facts.grandTotalMinor } : {}) };
      return { orderId: fact.orderId, storeId: fact.storeId, kind: fact.kind, status: fact.status, ...content };
    }
    case "status-changed": {
      const base = facts ?? { orderId: fact.orderId, storeId: fact.storeId, kind: unknownKind, status: fact.status, ...unknownContent };
      return {
        ...base,
        // Routing may move an order to another store: the latest announcement names where it is.
        storeId: fact.storeId || base.storeId,
        status: fact.status,
        deliveredAt: fact.status === "delivered" && !base.deliveredAt ? fact.at : base.deliveredAt,
        closedAt: fact.status === "closed" ? fact.at : base.closedAt,
      };
    }
    case "lines-substituted": {
      // What the customer receives is what a case may name, and what they paid after a
      // cheaper substitute's refund is what a case may refund at most.
      const base = facts ?? { orderId: fact.orderId, storeId: fact.storeId, kind: unknownKind, status: unknownKind, ...unknownContent };
      return { ...base, lines: fact.lines, grandTotalMinor: fact.grandTotalMinor };
    }
    default: {
      const unknown: never = fact;
      throw new Error(`unknown fact ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * A batch of facts applied, in their order, to the orders' facts as they were (`current`,
 * by order id). Returns the facts of every order the batch touched, in order-id order:
 * the order in which their rows are written, so concurrent writers queue alike.
 */
export function evolveFactsOfOrders(current: ReadonlyMap<string, OrderFacts>, facts: readonly OrderFact[]): OrderFacts[] {
  const next = new Map<string, OrderFacts>();
  for (const fact of facts) next.set(fact.orderId, evolveFacts(next.get(fact.orderId) ?? current.get(fact.orderId), fact));
  return [...next.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}

/** Inside the period that starts at delivery? Orders not yet delivered are not. */
export function withinPeriodAfterDelivery(facts: OrderFacts, periodDays: number, now: Date): boolean {
  if (!facts.deliveredAt) return false;
  return now.getTime() - facts.deliveredAt.getTime() <= periodDays * 24 * 3600_000;
}
