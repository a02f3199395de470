/**
 * An exchange's replacement goods (ADR 030), as the warehouse announces them: reserved at the
 * order's store or awaiting stock when the exchange is accepted, then shipped with a carrier
 * or called off by the desk. The case keeps where it stands, with the carrier, the tracking
 * number and when, so customer service can tell the customer. Pure.
 */
import { IllegalStateError } from "@oms/errors";
import type { AfterSalesCase } from "./case.ts";

export const replacementStatuses = ["awaiting-stock", "reserved", "shipped", "called-off"] as const;
export type ReplacementStatus = (typeof replacementStatuses)[number];

export interface CaseReplacement {
  status: ReplacementStatus;
  /** "" until shipped. */
  carrier: string;
  trackingNumber: string;
  /** When it reached the status. */
  at: Date;
}

// How far a replacement got: it only moves forward, so an announcement heard late never undoes a later one.
const stage: Record<ReplacementStatus, number> = { "awaiting-stock": 0, reserved: 1, shipped: 2, "called-off": 2 };

/**
 * The case with the replacement as the warehouse now says. Only an accepted (or since
 * resolved) exchange has one; an announcement behind what the case shows (a shipped
 * replacement said to be reserved) leaves it as it is.
 */
export function recordReplacement(state: AfterSalesCase, replacement: CaseReplacement): AfterSalesCase {
  if (state.kind !== "exchange" || (state.status !== "accepted" && state.status !== "resolved")) {
    throw new IllegalStateError("after-sales.no-replacement", `case ${state.caseId} is a ${state.status} ${state.kind}: only an accepted exchange has replacement goods`);
  }
  if (state.replacement && stage[state.replacement.status] >= stage[replacement.status]) return state;
  return { ...state, replacement };
}
