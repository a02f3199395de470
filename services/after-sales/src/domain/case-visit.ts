/**
 * The on-site visit of a repair or maintenance case (ADR 025): accepting the case asks
 * dispatch for it; dispatch's events about its task (assigned, acknowledged, the appointment,
 * the arrival, exceptions, the report) are kept on the case, so customer service sees where
 * the visit stands and, once it is done, who did what and when, before it resolves the case.
 * Resolving does not wait for the visit: a visit still to be done is then called off. The
 * customer may reject the report within the acceptance period (visit-rejection.ts): the visit
 * goes back for rework, a new round ending in a new report. Pure.
 */
import { afterSalesVisitTaskId } from "@oms/contracts";
import { IllegalStateError } from "@oms/errors";
import type { AfterSalesCase } from "./case.ts";
import type { CustomerWords } from "./customer-words.ts";
import type { CaseKind } from "./policy.ts";

export const visitStatuses = ["requested", "queued", "assigned", "acknowledged", "scheduled", "on-site", "done", "rework", "called-off"] as const;
export type VisitStatus = (typeof visitStatuses)[number];

export interface VisitException {
  exceptionId: string;
  kind: string;
  cause: string;
  measure: string;
  newTime?: Date;
  reportedAt: Date;
  staffId: string;
}

export interface CaseVisit {
  /** Dispatch's task, named after the case. */
  taskId: string;
  status: VisitStatus;
  /** Who holds it now, or did it once done. */
  staffId?: string;
  queuedReason?: string;
  appointmentFrom?: Date;
  appointmentUntil?: Date;
  doneAt?: Date;
  doneBy?: string;
  /** What was done: the visit's service record. */
  summary?: string;
  reportId?: string;
  exceptions: VisitException[];
  /** The round under way: absent (0) until the customer rejects a report; one more each time. */
  round?: number;
  /** Rounds whose report the customer rejected, oldest first; absent until one is. */
  pastRounds?: PastVisitRound[];
}

/** A round whose report the customer rejected: what was reported, and who rejected it, when and why. */
export interface PastVisitRound {
  round: number;
  report: { at: Date; by: string; summary: string; reportId: string };
  rejection: VisitRejection;
}

export interface VisitRejection {
  at: Date;
  /** "<kind>:<id>" of the customer, or of the desk recording it for them. */
  by: string;
  /** The customer's words: sealed once stored (customer-words.ts), as the case's description. */
  reason: CustomerWords;
}

/** What dispatch said about the visit's task, in the order it said it. */
export type VisitProgress =
  | { type: "queued"; reason: string }
  | { type: "assigned"; staffId: string }
  /** Declined, missed or withdrawn: dispatch assigns it anew. */
  | { type: "released" }
  | { type: "acknowledged"; staffId: string }
  /** An appointment agreed with the customer, or moved. */
  | { type: "scheduled"; staffId: string; from: Date; until: Date }
  | { type: "checked-in"; staffId: string }
  | { type: "exception"; exception: VisitException }
  /** `round`: the round the report ends (0 for the first visit; absent from reports before rework rounds). */
  | { type: "reported"; staffId: string; at: Date; summary: string; reportId: string; round?: number };

/** Kinds of case done on site. */
export const isVisitedKind = (kind: CaseKind): boolean => kind === "repair" || kind === "maintenance";

/** The visit an accepted case asks for, if its kind is done on site. */
export function requestedVisitOf(c: Pick<AfterSalesCase, "caseId" | "kind">): CaseVisit | undefined {
  return isVisitedKind(c.kind) ? { taskId: afterSalesVisitTaskId(c.caseId), status: "requested", exceptions: [] } : undefined;
}

/** The visit's round under way: 0 until the customer rejects a report. */
export const roundOf = (visit: CaseVisit): number => visit.round ?? 0;

export const visitIsOver = (visit: CaseVisit): boolean => visit.status === "done" || visit.status === "called-off";

/**
 * The case with dispatch's news of its visit. Only an accepted (or since resolved) repair or
 * maintenance has one; a case accepted before visits existed gets its visit with the first
 * news. Once the visit is over nothing changes it, except its report: work that was done is
 * recorded even if the case was resolved meanwhile. An exception is kept once per id.
 */
export function recordVisitProgress(state: AfterSalesCase, progress: VisitProgress): AfterSalesCase {
  if (!isVisitedKind(state.kind) || (state.status !== "accepted" && state.status !== "resolved")) {
    throw new IllegalStateError("after-sales.no-visit-expected", `case ${state.caseId} is a ${state.status} ${state.kind}: no visit was asked for it`);
  }
  const visit = state.visit ?? requestedVisitOf(state)!;
  if (visitIsOver(visit) && !(progress.type === "reported" && visit.status === "called-off")) return state;
  // A report of a round the customer already rejected, heard again, is no news: that round keeps it.
  if (progress.type === "reported" && (progress.round ?? 0) < roundOf(visit)) return state;
  return { ...state, visit: visitAfter(visit, progress) };
}

function visitAfter(visit: CaseVisit, progress: VisitProgress): CaseVisit {
  switch (progress.type) {
    case "queued":
      return { ...withoutHolder(visit), status: "queued", queuedReason: progress.reason };
    case "assigned": {
      const { queuedReason: _reason, ...rest } = visit;
      return { ...rest, status: "assigned", staffId: progress.staffId };
    }
    case "released":
      return { ...withoutHolder(visit), status: "requested" };
    case "acknowledged":
      return { ...visit, status: "acknowledged", staffId: progress.staffId };
    case "scheduled":
      return { ...visit, status: "scheduled", staffId: progress.staffId || visit.staffId, appointmentFrom: progress.from, appointmentUntil: progress.until };
    case "checked-in":
      return { ...visit, status: "on-site", staffId: progress.staffId };
    case "exception":
      if (visit.exceptions.some((e) => e.exceptionId === progress.exception.exceptionId)) return visit;
      return { ...visit, exceptions: [...visit.exceptions, progress.exception] };
    case "reported":
      return { ...visit, status: "done", staffId: progress.staffId, doneBy: progress.staffId, doneAt: progress.at, summary: progress.summary, reportId: progress.reportId };
    default: {
      const unknown: never = progress;
      throw new Error(`unknown visit progress ${JSON.stringify(unknown)}`);
    }
  }
}

function withoutHolder(visit: CaseVisit): CaseVisit {
  const { staffId: _staff, ...rest } = visit;
  return rest;
}

/** A case resolved with its visit still to be done calls the visit off (dispatch cancels the task on CaseResolved). */
export function visitOnResolution(visit: CaseVisit | undefined): CaseVisit | undefined {
  if (!visit || visitIsOver(visit)) return visit;
  const { queuedReason: _reason, ...rest } = visit;
  return { ...rest, status: "called-off" };
}
