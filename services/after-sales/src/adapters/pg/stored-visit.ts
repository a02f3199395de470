// A case's visit as the jsonb column `cases.visit` holds it, and back (ADR 025): times as ISO
// strings, a rejected round's reason as its sealed bytes in base64, never in the clear.
import type { CaseVisit, PastVisitRound, VisitStatus } from "../../domain/case-visit.ts";

/** A case's visit as its jsonb column holds it: times as ISO strings. */
export interface StoredVisit {
  taskId: string;
  status: VisitStatus;
  staffId?: string;
  queuedReason?: string;
  appointmentFrom?: string;
  appointmentUntil?: string;
  doneAt?: string;
  doneBy?: string;
  summary?: string;
  reportId?: string;
  exceptions: { exceptionId: string; kind: string; cause: string; measure: string; newTime?: string; reportedAt: string; staffId: string }[];
  round?: number;
  pastRounds?: StoredPastRound[];
}

/** A rejected round as the visit's document holds it: the customer's reason sealed (base64), never in the clear (migration 020). */
interface StoredPastRound {
  round: number;
  report: { at: string; by: string; summary: string; reportId: string };
  rejection: { at: string; by: string; reasonSealed: string };
}

function pastRoundFromStored(r: StoredPastRound): PastVisitRound {
  return {
    round: r.round,
    report: { ...r.report, at: new Date(r.report.at) },
    rejection: { at: new Date(r.rejection.at), by: r.rejection.by, reason: { sealed: Buffer.from(r.rejection.reasonSealed, "base64") } },
  };
}

function storedPastRound(r: PastVisitRound): StoredPastRound {
  const reason = r.rejection.reason;
  if (!("sealed" in reason)) throw new Error(`round ${r.round}'s rejection reason is stored sealed, never in the clear`);
  return {
    round: r.round,
    report: { ...r.report, at: r.report.at.toISOString() },
    rejection: { at: r.rejection.at.toISOString(), by: r.rejection.by, reasonSealed: Buffer.from(reason.sealed).toString("base64") },
  };
}

const dateOf = (iso: string | undefined) => (iso ? { value: new Date(iso) } : undefined);

export function visitFromStored(v: StoredVisit): CaseVisit {
  const at = (key: "appointmentFrom" | "appointmentUntil" | "doneAt") => {
    const date = dateOf(v[key]);
    return date ? { [key]: date.value } : {};
  };
  return {
    taskId: v.taskId,
    status: v.status,
    ...(v.staffId ? { staffId: v.staffId } : {}),
    ...(v.queuedReason ? { queuedReason: v.queuedReason } : {}),
    ...at("appointmentFrom"),
    ...at("appointmentUntil"),
    ...at("doneAt"),
    ...(v.doneBy ? { doneBy: v.doneBy } : {}),
    ...(v.summary !== undefined ? { summary: v.summary } : {}),
    ...(v.reportId ? { reportId: v.reportId } : {}),
    exceptions: v.exceptions.map((e) => ({ ...e, reportedAt: new Date(e.reportedAt), ...(e.newTime ? { newTime: new Date(e.newTime) } : {}) })),
    ...(v.round ? { round: v.round } : {}),
    ...(v.pastRounds ? { pastRounds: v.pastRounds.map(pastRoundFromStored) } : {}),
  } as CaseVisit;
}

/** JSON.stringify writes Dates as ISO strings, which is what `visitFromStored` reads; rejected rounds' reasons go as their sealed bytes. */
export function storedVisit(visit: CaseVisit | undefined): string | null {
  if (!visit) return null;
  const { pastRounds, ...rest } = visit;
  return JSON.stringify({ ...rest, ...(pastRounds ? { pastRounds: pastRounds.map(storedPastRound) } : {}) });
}

/**
 * A case whose visit is in rework now, in SQL over the stored document: a round after the first
 * (a rejection opened it) whose report is still to come — neither done nor called off.
 */
export const visitInReworkCondition = "coalesce((visit->>'round')::int, 0) > 0 AND visit->>'status' NOT IN ('done', 'called-off')";

/** The rework rounds a stored visit's rejections opened: one per rejected round. */
export const reworkRoundsOpenedSql = "jsonb_array_length(coalesce(visit->'pastRounds', '[]'::jsonb))";

/** The rework rounds (after the first) that ended in a report: rejected since, or the current one done. */
export const reworkRoundsCompletedSql = `((SELECT count(*) FROM jsonb_array_elements(coalesce(visit->'pastRounds', '[]'::jsonb)) r WHERE (r->>'round')::int >= 1)
  + CASE WHEN coalesce((visit->>'round')::int, 0) >= 1 AND visit->>'status' = 'done' THEN 1 ELSE 0 END)`;
