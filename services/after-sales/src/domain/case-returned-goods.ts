/**
 * Goods of a return or an exchange coming back to the store (ADR 021): the warehouse
 * receives them, inspects each unit, and says what it restocked and wrote off
 * (ReturnReceived). The case keeps the running totals and the time of the last receipt, so
 * customer service sees whether the goods arrived, and in what state, before it resolves
 * the case. Resolving does not wait for them (ADR 021 says why). Pure.
 */
import { IllegalStateError } from "@oms/errors";
import type { AfterSalesCase } from "./case.ts";
import type { CustomerWords } from "./customer-words.ts";

/** One receipt of the case's goods, as the warehouse announced it. */
export interface GoodsReceived {
  restocked: number;
  writtenOff: number;
  at: Date;
}

const bringsGoodsBack = (c: Pick<AfterSalesCase, "kind">) => c.kind === "return" || c.kind === "exchange";

/** The warehouse's call-off of what had not come back (ReturnCalledOff): the goods will not come. */
export interface GoodsCalledOff {
  /** The desk's words as the event carried them: sealed by the warehouse, or in the clear in an event from before. */
  reason: CustomerWords;
  at: Date;
}

function assertGoodsExpected(state: AfterSalesCase): void {
  if (!bringsGoodsBack(state) || (state.status !== "accepted" && state.status !== "resolved")) {
    throw new IllegalStateError("after-sales.no-goods-expected", `case ${state.caseId} is a ${state.status} ${state.kind}: no goods were expected back for it`);
  }
}

/** The case with a receipt of its goods added. Only an accepted (or since resolved) return or exchange has goods to come back. */
export function recordGoodsReceived(state: AfterSalesCase, goods: GoodsReceived): AfterSalesCase {
  assertGoodsExpected(state);
  return {
    ...state,
    goodsRestocked: state.goodsRestocked + goods.restocked,
    goodsWrittenOff: state.goodsWrittenOff + goods.writtenOff,
    goodsReceivedAt: goods.at,
  };
}

/**
 * The case with its goods called off: customer service sees that the store stopped expecting
 * them, when and why. Goods that arrive after all are still received and counted on top.
 */
export function recordGoodsCalledOff(state: AfterSalesCase, calledOff: GoodsCalledOff): AfterSalesCase {
  assertGoodsExpected(state);
  return { ...state, goodsCalledOff: { at: calledOff.at, reason: calledOff.reason } };
}

/** Units not back yet: what the case named less what came back, called-off units included (goodsCalledOff says the store stopped expecting them); none for a case that brings no goods back or was never accepted. */
export function goodsOutstanding(c: AfterSalesCase): number {
  if (!bringsGoodsBack(c) || (c.status !== "accepted" && c.status !== "resolved")) return 0;
  const named = c.lines.reduce((sum, line) => sum + line.quantity, 0);
  return Math.max(0, named - c.goodsRestocked - c.goodsWrittenOff);
}
