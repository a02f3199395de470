/**
 * Reconciliation (DOMAIN.md, Settlement: "Periodic reconciliation of finance data against
 * order data; every difference is explained and corrected"; ADR 023). Pure: no I/O, no
 * clock, no ids. Billing's money of each order is compared with the order as fulfillment
 * holds it, and each disagreement is a difference of a kind, identified within the store
 * and period by its order and kind, so a rerun recognises what an earlier run found.
 */

/** The order as fulfillment holds it: where it stands and what it is due (its totals after substitutions and corrections). */
export interface OrderFacts {
  orderId: string;
  status: string;
  dueMinor: number;
  currency: string;
}

export type RefundTrigger = "cancellation" | "finance" | "substitution" | "after-sales";

/** What billing holds of an order: its settlement, the money taken and given back, whether it was invoiced. */
export interface OrderMoney {
  orderId: string;
  currency: string;
  /** Whether a settlement was prepared (fulfillment asked for one): no order is closed without. */
  settled: boolean;
  /** Prepayment and every payment recorded since. */
  paidMinor: number;
  refundedMinor: Record<RefundTrigger, number>;
  invoiced: boolean;
}

export const differenceKinds = [
  // Fulfillment closed the order, billing prepared no settlement for it.
  "closed-without-settlement",
  // Fulfillment closed the order, billing kept money of it but issued no invoice.
  "closed-without-invoice",
  // A closed order's sale (paid less a substitute's refunded difference) is below what it is due.
  "under-collected",
  // Billing keeps more of the order than it is due (a correction lowered it, a payment twice).
  "over-collected",
  // Billing's and fulfillment's currencies of the order differ: the amounts cannot be compared.
  "currency-differs",
  // Billing refunded the order as cancelled, fulfillment does not show it cancelled.
  "refund-without-cancellation",
  // Fulfillment cancelled the order, billing still keeps money of it.
  "kept-after-cancellation",
  // Billing invoiced an order fulfillment does not show closed.
  "invoice-without-closure",
  // Billing holds a settlement, money or an invoice of an order fulfillment does not know.
  "unknown-order",
] as const;
export type DifferenceKind = (typeof differenceKinds)[number];

/** A difference as one run finds it, with the figures it was found on. */
export interface FoundDifference {
  orderId: string;
  kind: DifferenceKind;
  detail: string;
  figures: DifferenceFigures;
}

export interface DifferenceFigures {
  /** Fulfillment's status of the order; "" when it does not know the order. */
  orderStatus: string;
  dueMinor: number;
  paidMinor: number;
  refundedMinor: number;
  currency: string;
}

const refundedOf = (money: OrderMoney) => Object.values(money.refundedMinor).reduce((t, m) => t + m, 0);

/** What billing keeps of the order: paid less everything refunded. */
export const keptOf = (money: OrderMoney) => money.paidMinor - refundedOf(money);

/**
 * The differences of one order, either side possibly missing. A closed order must have a
 * settlement, an invoice for what it kept, and have collected what it is due; refunds after
 * the sale (after-sales, a clerk's goodwill) are documented by credit notes and are no
 * difference, but money kept beyond what is due always is.
 */
export function compareOrder(order: OrderFacts | undefined, money: OrderMoney | undefined): FoundDifference[] {
  if (!money && !order) return [];
  const figures: DifferenceFigures = {
    orderStatus: order?.status ?? "",
    dueMinor: order?.dueMinor ?? 0,
    paidMinor: money?.paidMinor ?? 0,
    refundedMinor: money ? refundedOf(money) : 0,
    currency: money?.currency || order?.currency || "",
  };
  const found = (kind: DifferenceKind, detail: string): FoundDifference => ({ orderId: (order ?? money)!.orderId, kind, detail, figures });
  if (!order) return [found("unknown-order", "billing holds money, a settlement or an invoice of an order fulfillment does not know")];
  if (!money) return order.status === "closed" ? [found("closed-without-settlement", "closed in fulfillment; billing holds no settlement of it")] : [];

  const differences: FoundDifference[] = [];
  const kept = keptOf(money);
  const cancelled = order.status === "cancelled";
  const closed = order.status === "closed";
  if (closed && !money.settled) differences.push(found("closed-without-settlement", "closed in fulfillment; billing holds no settlement of it"));
  if (cancelled && kept > 0) differences.push(found("kept-after-cancellation", `cancelled in fulfillment; billing still keeps ${kept} of it`));
  if (!cancelled && money.refundedMinor.cancellation > 0) {
    differences.push(found("refund-without-cancellation", `billing refunded ${money.refundedMinor.cancellation} for a cancellation; fulfillment shows the order ${order.status}`));
  }
  if (!closed && money.invoiced) differences.push(found("invoice-without-closure", `billing invoiced the order; fulfillment shows it ${order.status}`));
  if (cancelled) return differences;
  if (money.currency !== order.currency) {
    differences.push(found("currency-differs", `billing holds the order in ${money.currency}, fulfillment in ${order.currency}`));
    return differences;
  }
  const sale = money.paidMinor - money.refundedMinor.substitution;
  if (closed && sale < order.dueMinor) differences.push(found("under-collected", `closed owing ${order.dueMinor}; billing collected ${sale}`));
  if (kept > order.dueMinor) differences.push(found("over-collected", `due ${order.dueMinor}; billing keeps ${kept}`));
  if (closed && money.settled && kept > 0 && !money.invoiced) differences.push(found("closed-without-invoice", `closed keeping ${kept}; billing issued no invoice`));
  return differences;
}

/** Every difference among the orders either side names, in order id order, then kind. */
export function compareStore(orders: ReadonlyMap<string, OrderFacts>, money: ReadonlyMap<string, OrderMoney>): FoundDifference[] {
  const orderIds = [...new Set([...orders.keys(), ...money.keys()])].sort();
  return orderIds.flatMap((orderId) => compareOrder(orders.get(orderId), money.get(orderId)));
}

/** A difference an earlier run of the same store and period recorded. */
export interface KnownDifference {
  differenceId: string;
  orderId: string;
  kind: DifferenceKind;
  explained: boolean;
  resolvedByData: boolean;
}

export const differenceKey = (d: { orderId: string; kind: string }) => `${d.orderId}\u0000${d.kind}`;

/** What a run changes in the period's differences. */
export interface RunOutcome {
  /** Found for the first time. */
  added: FoundDifference[];
  /** Found again: still open, or explained (never reopened); `cameBack` when an earlier run had seen it resolved by the data. */
  foundAgain: { known: KnownDifference; found: FoundDifference; cameBack: boolean }[];
  /** Known, not resolved yet, and no longer found: resolved by the data. */
  resolvedByData: KnownDifference[];
  /** No difference found is still unexplained. */
  balanced: boolean;
  openCount: number;
  explainedCount: number;
}

/**
 * Sets a run's findings against what earlier runs of the period recorded: a difference is
 * the same one when its order and kind are, so an explanation given once stands on every
 * rerun, and one that is no longer there was resolved by the data (a correction, a late event).
 */
export function settleRun(found: readonly FoundDifference[], known: readonly KnownDifference[]): RunOutcome {
  const knownByKey = new Map(known.map((k) => [differenceKey(k), k]));
  const foundKeys = new Set(found.map(differenceKey));
  const added: FoundDifference[] = [];
  const foundAgain: RunOutcome["foundAgain"] = [];
  for (const difference of found) {
    const before = knownByKey.get(differenceKey(difference));
    if (before) foundAgain.push({ known: before, found: difference, cameBack: before.resolvedByData });
    else added.push(difference);
  }
  const explainedCount = foundAgain.filter((f) => f.known.explained).length;
  const openCount = found.length - explainedCount;
  return {
    added,
    foundAgain,
    resolvedByData: known.filter((k) => !k.resolvedByData && !foundKeys.has(differenceKey(k))),
    balanced: openCount === 0,
    openCount,
    explainedCount,
  };
}

export const corrections = ["refund-issued", "payment-recorded", "order-data-corrected", "written-off", "no-correction-needed"] as const;
export type Correction = (typeof corrections)[number];
