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
