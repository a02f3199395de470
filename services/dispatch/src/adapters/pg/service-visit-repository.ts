import type pg from "pg";
import type { ServiceEvent, ServiceVisit } from "../../domain/service-visit.ts";
import type { StepId, WrittenStep } from "../../domain/written-steps.ts";

type Db = pg.Pool | pg.ClientBase;

export interface ServiceRecordRow {
  record_id: string;
  staff_id: string;
  round: number;
  started_at: Date;
  finished_at: Date;
  content: string;
  customer_remarks: string;
  photo_refs: string[];
  recorded_at: Date;
}

export interface ServiceReportRow {
  report_id: string;
  staff_id: string;
  round: number;
  checklist: { item: string; passed: boolean; note: string }[];
  attachment_refs: string[];
  /** bigint: pg hands it over as a string. */
  collected_minor: string;
  submitted_at: Date;
  outcome: string;
  outcome_at: Date | null;
}

export interface ServiceExceptionRow {
  exception_id: string;
  staff_id: string;
  kind: string;
  cause: string;
  measure: string;
  new_time: Date | null;
  reported_at: Date;
}

export interface VisitRow {
  appointment_from: Date;
  appointment_until: Date;
  site_survey_needed: boolean;
  needs: string;
  tools_and_materials: string[];
  version: number;
  confirmed_at: Date;
  checked_in_at: Date | null;
  late_minutes: number | null;
}

/** A service task's visit, records, reports and exceptions in dispatch's schema. Writes take the caller's transaction. */
export const serviceVisitRepository = {
  /** What the domain needs to decide the next step (read under the task's row lock). */
  async load(db: Db, taskId: string): Promise<ServiceVisit> {
    const { rows } = await db.query<
      VisitRow & { rounds_with_records: number[]; last_report_id: string | null; last_report_round: number | null; last_report_outcome: string | null; appointment_spent: boolean | null }
    >(
      // An appointment is spent when its arrival was met (only a check-in meets it) and the visit is not checked in any more:
      // a visit reopened for rework keeps the refused round's appointment until a new one resets the deadline (ADR 025).
      `SELECT v.*, COALESCE((SELECT array_agg(DISTINCT round) FROM service_records r WHERE r.task_id = $1), '{}') AS rounds_with_records,
         v.checked_in_at IS NULL AND EXISTS (SELECT 1 FROM step_deadlines d WHERE d.task_id = $1 AND d.step = 'arrival' AND d.version = v.version AND d.met_at IS NOT NULL)
           AS appointment_spent,
         l.report_id AS last_report_id, l.round AS last_report_round, l.outcome AS last_report_outcome
       FROM (SELECT 1) one
       LEFT JOIN service_visits v ON v.task_id = $1
       LEFT JOIN LATERAL (SELECT report_id, round, outcome FROM service_reports WHERE task_id = $1 ORDER BY round DESC LIMIT 1) l ON true`,
      [taskId],
    );
    const row = rows[0]!;
    return {
      ...(row.appointment_from
        ? {
            appointment: {
              from: row.appointment_from,
              until: row.appointment_until,
              siteSurveyNeeded: row.site_survey_needed,
              needs: row.needs,
              toolsAndMaterials: row.tools_and_materials,
              version: row.version,
            },
          }
        : {}),
      ...(row.checked_in_at ? { checkedInAt: row.checked_in_at } : {}),
      ...(row.appointment_spent ? { appointmentSpent: true } : {}),
      roundsWithRecords: row.rounds_with_records,
      ...(row.last_report_id
        ? { lastReport: { reportId: row.last_report_id, round: row.last_report_round!, outcome: row.last_report_outcome as "awaiting-acceptance" } }
        : {}),
    };
  },

  /** What the task holds under a caller's step id (read under the task's row lock, so a twin call waits and then finds it). */
  async findWrittenStep(db: Db, taskId: string, { step, id }: StepId): Promise<WrittenStep | undefined> {
    if (step === "record") {
      const { rows } = await db.query<ServiceRecordRow>("SELECT * FROM service_records WHERE task_id = $1 AND record_id = $2", [taskId, id]);
      const r = rows[0];
      return r && { step, staffId: r.staff_id, startedAt: r.started_at, finishedAt: r.finished_at, content: r.content, customerRemarks: r.customer_remarks, photoRefs: r.photo_refs };
    }
    const { rows } = await db.query<ServiceExceptionRow>("SELECT * FROM service_exceptions WHERE task_id = $1 AND exception_id = $2", [taskId, id]);
    const e = rows[0];
    return e && { step, staffId: e.staff_id, kind: e.kind, cause: e.cause, measure: e.measure, ...(e.new_time ? { newTime: e.new_time } : {}) };
  },

  /** Writes what the events say, one statement each. */
  async apply(tx: pg.ClientBase, taskId: string, events: readonly ServiceEvent[]): Promise<void> {
    for (const e of events) {
      switch (e.type) {
        case "AppointmentConfirmed": {
          const a = e.appointment;
          await tx.query(
            `INSERT INTO service_visits (task_id, appointment_from, appointment_until, site_survey_needed, needs, tools_and_materials, version, confirmed_by, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (task_id) DO UPDATE SET appointment_from = $2, appointment_until = $3, site_survey_needed = $4, needs = $5,
               tools_and_materials = $6, version = $7, confirmed_by = $8, confirmed_at = $9`,
            [taskId, a.from, a.until, a.siteSurveyNeeded, a.needs, a.toolsAndMaterials, a.version, e.staffId, e.confirmedAt],
          );
          break;
        }
        case "CheckedIn":
          await tx.query("UPDATE service_visits SET checked_in_at = $2, checked_in_by = $3, late_minutes = $4 WHERE task_id = $1", [taskId, e.at, e.staffId, e.lateMinutes]);
          await tx.query("UPDATE tasks SET status = 'in-progress', updated_at = now() WHERE task_id = $1", [taskId]);
          break;
        case "ExceptionReported":
          await tx.query(
            `INSERT INTO service_exceptions (exception_id, task_id, staff_id, kind, cause, measure, new_time, reported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [e.exceptionId, taskId, e.staffId, e.kind, e.cause, e.measure, e.newTime ?? null, e.reportedAt],
          );
          break;
        case "RecordWritten":
          await tx.query(
            `INSERT INTO service_records (record_id, task_id, staff_id, round, started_at, finished_at, content, customer_remarks, photo_refs, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [e.recordId, taskId, e.staffId, e.round, e.startedAt, e.finishedAt, e.content, e.customerRemarks, e.photoRefs, e.recordedAt],
          );
          break;
        case "ReportSubmitted":
          await tx.query(
            `INSERT INTO service_reports (report_id, task_id, staff_id, round, checklist, attachment_refs, collected_minor, submitted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [e.reportId, taskId, e.staffId, e.round, JSON.stringify(e.checklist), e.attachmentRefs, e.collectedMinor, e.submittedAt],
          );
          await tx.query("UPDATE tasks SET status = 'reported', updated_at = now() WHERE task_id = $1", [taskId]);
          break;
        case "ReworkStarted":
          await tx.query("UPDATE service_reports SET outcome = 'rework', outcome_at = $2 WHERE report_id = $1", [e.refusedReportId, e.at]);
          if (e.revisit) {
            // An after-sales visit visited anew (ADR 025, rework addendum): pending, due for the engine at once, its last
            // technician offered it first, open again to whoever declined or missed the refused round; arrived at anew. Its
            // done assignment stays in the history.
            await tx.query(
              `UPDATE tasks SET status = 'pending', assignee_staff_id = NULL, preferred_staff_id = $3, rework_round = $2, closed_at = NULL, excluded_staff_ids = '{}',
                 queued_reason = NULL, queued_at = NULL, next_attempt_at = now(), updated_at = now()
               WHERE task_id = $1`,
              [taskId, e.round, e.staffId],
            );
            await tx.query("UPDATE service_visits SET checked_in_at = NULL, checked_in_by = NULL, late_minutes = NULL WHERE task_id = $1", [taskId]);
            break;
          }
          // The same person works on it again: a closed task and its assignment are reopened.
          await tx.query("UPDATE tasks SET status = 'in-progress', rework_round = $2, closed_at = NULL, updated_at = now() WHERE task_id = $1", [taskId, e.round]);
          await tx.query(
            `UPDATE assignments SET outcome = 'acknowledged', outcome_at = NULL
             WHERE assignment_id = (SELECT assignment_id FROM assignments WHERE task_id = $1 AND staff_id = $2 AND outcome IN ('done', 'acknowledged')
                                    ORDER BY assigned_at DESC LIMIT 1)`,
            [taskId, e.staffId],
          );
          break;
        case "ReportAccepted":
          await tx.query("UPDATE service_reports SET outcome = 'accepted', outcome_at = $2 WHERE report_id = $1", [e.reportId, e.at]);
          break;
        case "VisitRescheduled":
          // A new visit: its arrival is still to come (the KPIs count the arrival at the visit that took place).
          await tx.query(
            `UPDATE service_visits SET appointment_from = $2, appointment_until = $3, version = $4, checked_in_at = NULL, checked_in_by = NULL, late_minutes = NULL
             WHERE task_id = $1`,
            [taskId, e.appointment.from, e.appointment.until, e.appointment.version],
          );
          await tx.query("UPDATE tasks SET status = 'acknowledged', updated_at = now() WHERE task_id = $1 AND status = 'in-progress'", [taskId]);
          break;
        default: {
          const unknown: never = e;
          throw new Error(`unknown event ${String((unknown as ServiceEvent).type)}`);
        }
      }
    }
  },

  /**
   * The orders' own service tasks whose report is in (or accepted), locked in task id order, as task ids by order id.
   * An after-sales visit's report is not the order's delivery: the order's acceptance or rework is not about it.
   */
  async lockReportedServiceTasksOfOrders(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await tx.query<{ task_id: string; order_id: string }>(
      `SELECT task_id, order_id FROM tasks WHERE order_id = ANY($1::text[]) AND kind = 'service' AND origin = 'order' AND status IN ('reported', 'done')
       ORDER BY task_id COLLATE "C" FOR UPDATE`,
      [orderIds],
    );
    const byOrder = new Map<string, string[]>();
    for (const { task_id, order_id } of rows) byOrder.set(order_id, [...(byOrder.get(order_id) ?? []), task_id]);
    return byOrder;
  },

  async visitOf(db: Db, taskId: string): Promise<VisitRow | undefined> {
    const { rows } = await db.query<VisitRow>("SELECT * FROM service_visits WHERE task_id = $1", [taskId]);
    return rows[0];
  },

  async recordsOf(db: Db, taskId: string): Promise<ServiceRecordRow[]> {
    return (await db.query<ServiceRecordRow>("SELECT * FROM service_records WHERE task_id = $1 ORDER BY recorded_at, record_id", [taskId])).rows;
  },

  async reportsOf(db: Db, taskId: string): Promise<ServiceReportRow[]> {
    return (await db.query<ServiceReportRow>("SELECT * FROM service_reports WHERE task_id = $1 ORDER BY round", [taskId])).rows;
  },

  async exceptionsOf(db: Db, taskId: string): Promise<ServiceExceptionRow[]> {
    return (await db.query<ServiceExceptionRow>("SELECT * FROM service_exceptions WHERE task_id = $1 ORDER BY reported_at, exception_id", [taskId])).rows;
  },
};
