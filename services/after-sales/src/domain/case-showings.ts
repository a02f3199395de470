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
export type ShownCaseField = "description";

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
 * What a view showed: one showing per case whose description it carried. An empty description
 * is one no key of this process opened (a case is never opened without words), so nothing was
 * shown and nothing is logged.
 */
export function showingsOf(shown: readonly { caseId: string; orderId: string; description: string }[], viewer: CaseViewer): CaseShowing[] {
  return shown.filter((c) => c.description !== "").map((c) => ({ caseId: c.caseId, orderId: c.orderId, fields: ["description"], ...viewer }));
}
