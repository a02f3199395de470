/**
 * When a case view is a showing of the customer's sealed words (ADR 017, showings addendum),
 * and what is logged of it. Pure.
 */
import { UnauthenticatedError } from "@oms/errors";
import { callerLabel } from "./case-callers.ts";

/** Whom a view shows the words to, as the showings' log names them. */
export interface CaseViewer {
  /** "<kind>:<id>" */
  shownTo: string;
  role: string;
  correlationId: string;
}

/** The sealed fields of a case a view may open. */
export type ShownCaseField = "description" | "goods-called-off-reason" | "visit-rejection-reason";

/** One case's words shown to one viewer: a row of `case_disclosures`. */
export interface CaseShowing extends CaseViewer {
  caseId: string;
  orderId: string;
  fields: ShownCaseField[];
}

/**
 * The viewer a query names, or undefined when it names nobody: the words then stay sealed and
 * nothing is logged (the gateway asking a case's store or order). A caller named without an id
 * is refused rather than logged as nobody.
 */
export function viewerOf(caller: { kind: string; id: string; role: string } | undefined, correlationId: string): CaseViewer | undefined {
  if (!caller || (!caller.kind && !caller.id)) return undefined;
  if (!caller.kind || !caller.id.trim()) throw new UnauthenticatedError("caller.missing", "the request names a caller without saying who it is");
  return { shownTo: callerLabel(caller), role: caller.role, correlationId };
}

/**
 * What a view showed: one showing per case whose description or goods' call-off reason it
 * carried, naming those fields. An empty one is one no key of this process opened (a case is
 * never opened without words, a call-off never without a reason) or one the case has not got,
 * so it was not shown; a case showing neither logs nothing.
 */
export function showingsOf(
  shown: readonly { caseId: string; orderId: string; description: string; goodsCalledOffReason?: string; visitRejectionReasons?: readonly string[] }[],
  viewer: CaseViewer,
): CaseShowing[] {
  return shown.flatMap((c) => {
    const fields: ShownCaseField[] = [
      ...(c.description !== "" ? (["description"] as const) : []),
      ...(c.goodsCalledOffReason ? (["goods-called-off-reason"] as const) : []),
      // The customer's reasons for rejecting the visit's rounds: one field however many rounds were rejected.
      ...((c.visitRejectionReasons ?? []).some((reason) => reason !== "") ? (["visit-rejection-reason"] as const) : []),
    ];
    return fields.length > 0 ? [{ caseId: c.caseId, orderId: c.orderId, fields, ...viewer }] : [];
  });
}
