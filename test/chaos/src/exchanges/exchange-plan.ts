import { createHash } from "node:crypto";

/**
 * What the simulated after-sales desk does about an order's exchange (ADR 030), decided from
 * the order's id alone so that a retry, a restart of the harness's own bookkeeping and the
 * invariant checker all agree: whether its customer exchanges, which goods, whether the desk
 * ships the replacement or calls it off, and the ids each step is retried under. Pure.
 */

export interface OrderedLine {
  sku: string;
  quantity: number;
}

/** What the desk means to do with an exchange's replacement. */
export type ReplacementIntent = "ship" | "call-off";

/** A fraction in [0, 1) of the order's id, salted: each draw is apart from every other (and from step-settings.ts's). */
export function drawOf(orderId: string, salt: string): number {
  return createHash("sha256").update(`exchange ${salt}:${orderId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Whether this delivered goods order's customer asks for an exchange. */
export function exchangesOrder(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "asks") < share;
}

/** Whether the desk ships this exchange's replacement or calls it off (the customer took a refund instead). */
export function replacementIntentOf(orderId: string, callOffShare: number): ReplacementIntent {
  return callOffShare > 0 && drawOf(orderId, "call-off") < callOffShare ? "call-off" : "ship";
}

/**
 * Whether the desk opens the exchange from the customer's call rather than the customer online:
 * always for a guest (no account a case could be answered to), and for a third of the others.
 */
export function openedByDesk(orderId: string, customerId: string): boolean {
  return customerId === "" || drawOf(orderId, "by phone") < 1 / 3;
}

/** The case's id, chosen by the opener (ADR 015): every retry of the opening names it. */
export const exchangeCaseIdOf = (orderId: string) => `exchange-${orderId}`;

/**
 * The goods exchanged: one unit of each of the order's first two SKUs (a SKU named once, as
 * after-sales requires), never more than was ordered. None when the order named no goods.
 */
export function exchangeLinesOf(lines: readonly OrderedLine[]): OrderedLine[] {
  const skus = [...new Set(lines.filter((line) => line.quantity >= 1).map((line) => line.sku))];
  return skus.slice(0, 2).map((sku) => ({ sku, quantity: 1 }));
}

/** The replacement's parcel: the same carrier and tracking number on every retry, so a retry answers as it stands. */
export function replacementParcelOf(caseId: string): { carrier: string; trackingNumber: string } {
  return { carrier: "SF Express", trackingNumber: `SFX${createHash("sha256").update(caseId).digest("hex").slice(0, 12).toUpperCase()}` };
}

/** The exchanged goods coming back, all fit to sell, on the returns shelf, under one receipt id per case (ADR 021). */
export function returnReceiptOf(caseId: string, lines: readonly OrderedLine[]) {
  return { receiptId: `back-${caseId}`, lines: lines.map((line) => ({ sku: line.sku, resellable: line.quantity, location: "RET-01" })) };
}

/** How a step's answer is taken: done, worth asking again (the system is not there yet or not up), or refused for good. */
export type AnswerVerdict = "done" | "again" | "refused";

/** What the desk reads of an HTTP answer: its status, its problem code, and whether it said to retry later. */
export interface AnswerSeen {
  status: number;
  code?: string;
  retryAfter?: boolean;
}

/**
 * A step's answer: 2xx done; 5xx, 429, an answer that says to retry after a while (a row
 * lock's conflict) and the codes the step names as "not yet" (after-sales not yet told of the
 * delivery, the warehouse not yet told of the acceptance) again; any other 4xx refused, which
 * the desk reports with its code rather than retry.
 */
export function verdictOf(answer: AnswerSeen, notYet: readonly string[] = []): AnswerVerdict {
  if (answer.status >= 200 && answer.status < 300) return "done";
  if (answer.status >= 500 || answer.status === 429 || answer.retryAfter) return "again";
  if (answer.code !== undefined && notYet.includes(answer.code)) return "again";
  return "refused";
}

/** What the desk does past the replacement's shipment or call-off, each for its own share of exchanges (ADR 030's addenda, ADR 017's). */
export interface LaterStepShares {
  /** Share of exchanges whose replacement the desk moves to another store that has the goods, if it is waiting for stock. */
  moveShare: number;
  /** Share of exchanges for whose SKUs the store's clerk records an expected restock date. */
  restockShare: number;
  /** Share of exchanges the desk resolves with cause carrier and claims from the carrier, finance answering the claim. */
  claimShare: number;
  /**
   * Share of the moves for which the order's store first runs short of the exchange's first SKU
   * (a clerk counts its shelves down to what orders hold, then books a delivery once the desk has
   * moved it), so the replacement waits for stock and the move is a real one: the run's chain
   * otherwise never runs short.
   */
  shortageShare: number;
}

/** Whether the desk sends this exchange's replacement from another store when it waits for stock (ADR 030, third addendum). */
export function movesReplacement(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "move") < share;
}

/** What a store can still promise of a SKU, as `GET /v1/stock/{sku}/availability` lists it. */
export interface SkuAvailability {
  sku: string;
  stores: readonly { storeId: string; available: number }[];
}

/**
 * The store the desk moves a replacement to: another store than the one it waits at that can
 * promise every line whole now, the one with the most to spare on its tightest line first (then
 * by id, so every retry picks the same while the stock stands); none when no store has it all.
 * A hint read unlocked: the move itself decides, and a 409 out-of-stock is an answer.
 */
export function moveTargetOf(fromStoreId: string, lines: readonly OrderedLine[], availability: readonly SkuAvailability[]): string | undefined {
  const spare = new Map<string, number>();
  const candidates = new Set(availability.flatMap((a) => a.stores.map((s) => s.storeId)));
  candidates.delete(fromStoreId);
  for (const storeId of candidates) {
    let tightest = Number.POSITIVE_INFINITY;
    for (const line of lines) {
      const available = availability.find((a) => a.sku === line.sku)?.stores.find((s) => s.storeId === storeId)?.available ?? 0;
      tightest = Math.min(tightest, available - line.quantity);
    }
    if (tightest >= 0) spare.set(storeId, tightest);
  }
  return [...spare].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
}

/** Whether the order's store runs short of the exchange's first SKU before the desk accepts it (only for a planned move). */
export function runsShortFirst(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "runs short") < share;
}

/** The delivery that ends a shortage the harness made: one receipt id per case, plenty of units. */
export const restockingReceiptOf = (caseId: string, sku: string, location: string) => ({ receiptId: `restock-${caseId}`, sku, location, quantity: 1_000_000 });

/** The desk's reason for a move: the same on every retry (a retry by the same person to the same store answers as it stands). */
export const moveReasonOf = (fromStoreId: string) => `The customer is owed a working item now; ${fromStoreId} waits for the goods.`;

/** A store-scoped warehouse clerk of one store: the shipment route holds a moved replacement to the clerks of the store it ships from. */
export const storeClerkOf = (storeId: string) => `staff:chaos-clerk-${storeId}:warehouse-clerk@${storeId}`;

/** Whether the store's clerk records an expected restock date for this exchange's SKUs. */
export function recordsRestock(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "restock") < share;
}

/**
 * The day the supplier said the goods come: 3 to 20 days after `today` (YYYY-MM-DD, UTC), drawn
 * from the order's id so a retry records the same day. Never a day already over anywhere.
 */
export function expectedRestockDateOf(orderId: string, today: string): string {
  const days = 3 + Math.floor(drawOf(orderId, "restock date") * 18);
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** What the desk claims from the carrier and how the carrier answers, finance recording it. */
export interface CarrierClaimPlan {
  carrier: string;
  carrierReference: string;
  amountMinor: number;
  answer: { kind: "settle"; recoveredMinor: number; receipts: CarrierReceiptPlan[] } | { kind: "reject"; reason: string };
}

/** A payment of the carrier that finance books against the settled claim's recovery in billing (ADR 017, second carrier addendum). */
export interface CarrierReceiptPlan {
  reference: string;
  amountMinor: number;
  /** Booked in error (ADR 017, third carrier addendum): finance reverses it and books the payment again under `rebookedAs`. */
  reversal?: { reason: string; rebookedAs: string };
  /**
   * Paid by a carrier transfer finance books as a remittance under this reference (ADR 017,
   * twenty-fifth and twenty-sixth sessions), the payment its one allocation: `reference` is then
   * the allocation's receipt, `<remittance>#1`, and a reversal reverses the remittance whole.
   */
  remittance?: string;
}

/** Whether the desk resolves this exchange as the carrier's damage and claims it back (ADR 017's carrier-claim addendum). */
export function claimsFromCarrier(orderId: string, share: number): boolean {
  return share > 0 && drawOf(orderId, "carrier claim") < share;
}

/**
 * The claim: a fifth to three fifths of the order's total (never more than the total, never 0);
 * the carrier settles two thirds of claims, paying half to all of it, and rejects the others.
 * None for an order with no total to claim within.
 */
export function carrierClaimOf(orderId: string, grandTotalMinor: number): CarrierClaimPlan | undefined {
  if (!Number.isSafeInteger(grandTotalMinor) || grandTotalMinor < 1) return undefined;
  const amountMinor = Math.min(grandTotalMinor, Math.max(1, Math.floor(grandTotalMinor * (0.2 + 0.4 * drawOf(orderId, "claim amount")))));
  const settles = drawOf(orderId, "claim answer") < 2 / 3;
  const recoveredMinor = Math.min(amountMinor, Math.max(1, Math.ceil(amountMinor * (0.5 + 0.5 * drawOf(orderId, "claim recovered")))));
  return {
    carrier: "SF Express",
    carrierReference: `CLM-${createHash("sha256").update(`claim ${orderId}`).digest("hex").slice(0, 10).toUpperCase()}`,
    amountMinor,
    answer: settles
      ? { kind: "settle", recoveredMinor, receipts: carrierReceiptsOf(orderId, recoveredMinor) }
      : { kind: "reject", reason: "The carrier says the parcel left its hands undamaged." },
  };
}

/**
 * What the carrier pays on a settled claim, as finance books it: three fifths of the carriers pay,
 * half of those in two parts (the first half, then the rest), the others all at once; the rest
 * have not paid by the run's end. Each payment under a reference of its own, the same on every retry.
 * A fifth of the paid have their first payment booked in error under the wrong bank line: finance
 * reverses it and books it again under a reference of its own (the reversed one stays spent).
 * A third of those paid at once are paid by a transfer booked as a remittance, reversed whole when in error.
 */
export function carrierReceiptsOf(orderId: string, recoveredMinor: number): CarrierReceiptPlan[] {
  if (recoveredMinor < 1 || drawOf(orderId, "claim paid") >= 0.6) return [];
  const reference = (part: number) => `PAY-${createHash("sha256").update(`carrier payment ${orderId} ${part}`).digest("hex").slice(0, 12).toUpperCase()}`;
  const first = Math.floor(recoveredMinor / 2);
  const receipts: CarrierReceiptPlan[] =
    recoveredMinor < 2 || drawOf(orderId, "claim paid in parts") >= 0.5
      ? [{ reference: reference(1), amountMinor: recoveredMinor }]
      : [
          { reference: reference(1), amountMinor: first },
          { reference: reference(2), amountMinor: recoveredMinor - first },
        ];
  // A third of those paid at once come in a transfer finance books as a remittance (each desk's flow is its own, so one claim per transfer).
  if (receipts.length === 1 && drawOf(orderId, "paid by remittance") < 1 / 3) {
    const remittance = `REM-${createHash("sha256").update(`carrier remittance ${orderId}`).digest("hex").slice(0, 12).toUpperCase()}`;
    receipts[0] = { ...receipts[0]!, reference: `${remittance}#1`, remittance };
  }
  if (drawOf(orderId, "payment booked in error") < 0.2) receipts[0] = { ...receipts[0]!, reversal: { reason: "booked under the wrong bank line", rebookedAs: reference(3) } };
  return receipts;
}
