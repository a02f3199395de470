/**
 * An exchange's replacement goods (ADR 030), as the warehouse announces them: reserved at the
 * order's store or awaiting stock when the exchange is accepted, then shipped with a carrier
 * or called off by the desk; a waiting one may be sent from another store instead (reserved
 * there, ReplacementMoved), which the case shows as the store it ships from. The case keeps where it stands, with the carrier, the tracking
 * number and when, so customer service can tell the customer. Pure.
 */
import { IllegalStateError, ValidationError } from "@oms/errors";
import type { AfterSalesCase } from "./case.ts";
import type { ReplacementLateness } from "./replacement-lateness.ts";

export const replacementStatuses = ["awaiting-stock", "reserved", "shipped", "called-off"] as const;
export type ReplacementStatus = (typeof replacementStatuses)[number];

export interface CaseReplacement {
  status: ReplacementStatus;
  /** "" until shipped. */
  carrier: string;
  trackingNumber: string;
  /** When it reached the status. */
  at: Date;
  /**
   * Awaiting stock only: the day the whole replacement can be expected (ISO date,
   * `expectedRestockOf`); absent when nobody knows, and once it is reserved, shipped or called off.
   */
  expectedRestockDate?: string;
  /**
   * The store it ships from, as the warehouse's announcement names it (its envelope's store);
   * absent on replacements recorded before it was kept, which ship from the case's store.
   */
  storeId?: string;
  /**
   * Reserved only: not shipped by its ship-by deadline, as the warehouse flagged it
   * (replacement-lateness.ts). A replacement announced further (shipped, called off, moved)
   * is a new one without it, so those clear it.
   */
  late?: ReplacementLateness;
  /**
   * The clerk's pick and pack at the store it ships from (ADR 030's seventh addendum): when each was
   * done; absent before, on replacements from before the steps, and again once moved to another store
   * (its steps start there). Kept once shipped or called off.
   */
  pickedAt?: Date;
  packedAt?: Date;
}

/** A clerk step of the replacement as the case keeps it. */
export type ReplacementStepDone = "picked" | "packed";

/** A line the store is short of, as ReplacementAwaitingStock names it: "" when nobody knows when it comes. */
export interface ShortLineRestock {
  sku: string;
  expectedRestockDate: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * When a replacement awaiting stock can be expected: the latest of its short lines' restock
 * dates, because it is reserved and shipped whole (ADR 030), so it waits for its last SKU. ""
 * when any short line's date is unknown (or none is named): the latest known date would promise
 * the customer a day the unknown line may well miss. A date that is not an ISO date breaks the
 * warehouse's contract and is refused, not guessed at.
 */
export function expectedRestockOf(short: readonly ShortLineRestock[]): string {
  const malformed = short.flatMap((line, i) =>
    line.expectedRestockDate !== "" && !isoDate.test(line.expectedRestockDate) ? [{ field: `short[${i}].expectedRestockDate`, message: `${line.sku}: "${line.expectedRestockDate}" is not an ISO date` }] : [],
  );
  if (malformed.length > 0) throw new ValidationError(malformed);
  if (short.length === 0 || short.some((line) => line.expectedRestockDate === "")) return "";
  // ISO dates order as strings.
  return short.reduce((latest, line) => (line.expectedRestockDate > latest ? line.expectedRestockDate : latest), "");
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
  // The restock date is news only while the customer waits: a reserved, shipped or called-off replacement drops it.
  const { expectedRestockDate, ...rest } = replacement;
  const steps = replacement.status === "shipped" || replacement.status === "called-off" ? stepsOf(state.replacement) : {};
  return { ...state, replacement: replacement.status === "awaiting-stock" && expectedRestockDate ? replacement : { ...rest, ...steps } };
}

/**
 * A clerk picked or packed the replacement (ADR 030's seventh addendum): the case shows when. Only
 * while it is reserved at the store the step was taken at, and once: a step heard again, or after
 * the shipment, the call-off or a move, changes nothing. Recording it ends a lateness the case
 * showed if it was the step's now done (the next step's deadline flags it again if missed); a
 * ship-by lateness stays, since a replacement from before the steps still owes its shipment.
 */
export function recordReplacementStep(state: AfterSalesCase, step: ReplacementStepDone, at: Date, storeId: string): AfterSalesCase {
  const replacement = state.replacement;
  if (!replacement || replacement.status !== "reserved" || (replacement.storeId ?? state.storeId) !== storeId) return state;
  if (step === "picked" ? replacement.pickedAt : replacement.packedAt) return state;
  // Only that step's lateness ends: one from before the steps still owes its one ship-by deadline once picked or packed.
  const { late, ...rest } = replacement;
  const kept = late && late.step !== (step === "picked" ? "pick" : "pack") ? { late } : {};
  return { ...state, replacement: step === "picked" ? { ...rest, ...kept, pickedAt: at } : { ...rest, ...kept, packedAt: at } };
}

function stepsOf(replacement: CaseReplacement | undefined): Pick<CaseReplacement, "pickedAt" | "packedAt"> {
  return { ...(replacement?.pickedAt ? { pickedAt: replacement.pickedAt } : {}), ...(replacement?.packedAt ? { packedAt: replacement.packedAt } : {}) };
}

/**
 * Staff recorded or cleared a restock date of a SKU the replacement waits for (ADR 030's second
 * addendum): the warehouse names the replacement's short lines as they now stand, each with its
 * date, and the case shows the day of the whole replacement by the same rule as when it first
 * waited (`expectedRestockOf`). News only while it waits: a reserved, shipped or called-off
 * replacement (or none heard of yet) is left as it is.
 */
export function recordReplacementRestock(state: AfterSalesCase, short: readonly ShortLineRestock[]): AfterSalesCase {
  const replacement = state.replacement;
  if (!replacement || replacement.status !== "awaiting-stock") return state;
  const expectedRestockDate = expectedRestockOf(short);
  if ((replacement.expectedRestockDate ?? "") === expectedRestockDate) return state;
  const { status, carrier, trackingNumber, at, storeId } = replacement;
  return { ...state, replacement: { status, carrier, trackingNumber, at, ...(storeId ? { storeId } : {}), ...(expectedRestockDate ? { expectedRestockDate } : {}) } };
}
