/**
 * When a dispute view is a showing of the opener's sealed statement (ADR 026, showings
 * addendum), and what is logged of it. Pure.
 */
import { UnauthenticatedError } from "@oms/errors";

/** Whom a view shows the statement to, as the showings' log names them. */
export interface DisputeViewer {
  /** "<kind>:<id>" */
  shownTo: string;
  role: string;
  correlationId: string;
}

/** The sealed fields of a dispute a view may open. */
export type ShownDisputeField = "statement";

/** One dispute's statement shown to one viewer: a row of `dispute_disclosures`. */
export interface DisputeShowing extends DisputeViewer {
  disputeId: string;
  orderId: string;
  fields: ShownDisputeField[];
}

/**
 * The viewer a request names (its caller fields), or undefined when it names nobody: the
 * statement then stays sealed and nothing is logged (the gateway's store lookup, its check of
 * open disputes before closing). A caller named without an id is refused rather than logged as nobody.
 */
export function viewerOf(request: { callerKind: string; callerId: string; callerRole: string }, correlationId: string): DisputeViewer | undefined {
  if (!request.callerKind && !request.callerId) return undefined;
  if (!request.callerKind || !request.callerId.trim()) throw new UnauthenticatedError("caller.missing", "the request names a caller without saying who it is");
  return { shownTo: `${request.callerKind}:${request.callerId}`, role: request.callerRole, correlationId };
}

/**
 * What a view showed: one showing per dispute whose statement it carried. An empty statement is
 * one no key of this process opened (a dispute is never opened without one), so nothing was
 * shown and nothing is logged.
 */
export function showingsOf(shown: readonly { disputeId: string; orderId: string; statement: string }[], viewer: DisputeViewer): DisputeShowing[] {
  return shown.filter((d) => d.statement !== "").map((d) => ({ disputeId: d.disputeId, orderId: d.orderId, fields: ["statement"], ...viewer }));
}
