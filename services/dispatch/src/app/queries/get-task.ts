import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { UnauthenticatedError, ValidationError } from "@oms/errors";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { serviceVisitRepository } from "../../adapters/pg/service-visit-repository.ts";
import { taskRepository, type AssignmentHistoryEntry } from "../../adapters/pg/task-repository.ts";
import type { Task } from "../../domain/task.ts";
import { assertMayReadTask, taskNotFound } from "../../domain/task-readers.ts";
import { bookingView } from "./booking-view.ts";

/** A task with its status, assignee, the fencing token its assignment was written under, and its assignment history (a service's own read). */
export async function getTask(pool: pg.Pool, taskId: string): Promise<dispatchApi.TaskView> {
  return taskView(pool, await taskOf(pool, taskId));
}

/** The same task as a person asks for it through the gateway: shown only to its assignee and the desk of its store (task-readers.ts). */
export async function getTaskForCaller(
  pool: pg.Pool,
  taskId: string,
  reader: dispatchApi.Caller | undefined,
  where: { stores: readonly string[]; chainWide: boolean },
): Promise<dispatchApi.TaskView> {
  if (!reader || !reader.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  const task = await taskOf(pool, taskId);
  assertMayReadTask({ ...reader, stores: where.stores, chainWide: where.chainWide }, task);
  return taskView(pool, task);
}

async function taskOf(pool: pg.Pool, taskId: string): Promise<Task> {
  if (!taskId) throw new ValidationError([{ field: "taskId", message: "is required" }]);
  const task = await taskRepository.findById(pool, taskId);
  if (!task) throw taskNotFound(taskId);
  return task;
}

/** The task's view; `history`, when the caller read it already (a batch reads its tasks' at once), saves a read. */
export async function taskView(pool: pg.Pool, task: Task, history?: AssignmentHistoryEntry[]): Promise<dispatchApi.TaskView> {
  history ??= await taskRepository.assignmentsOf(pool, task.taskId);
  const service = task.kind === "service" ? await serviceView(pool, task) : undefined;
  return {
    taskId: task.taskId,
    orderId: task.orderId,
    storeId: task.storeId,
    region: task.region,
    status: task.status,
    staffId: task.assigneeStaffId ?? "",
    fencingToken: task.fencingToken ?? 0,
    assignmentId: task.assignmentId ?? "",
    acknowledgeBy: task.acknowledgeBy?.toISOString() ?? "",
    excludedStaffIds: task.excludedStaffIds,
    assignments: history.map((a) => ({
      assignmentId: a.assignmentId,
      staffId: a.staffId,
      fencingToken: a.fencingToken,
      assignedAt: a.assignedAt.toISOString(),
      acknowledgeBy: a.acknowledgeBy.toISOString(),
      outcome: a.outcome,
      outcomeReason: a.outcomeReason,
      outcomeAt: a.outcomeAt?.toISOString() ?? "",
    })),
    service,
    origin: task.afterSalesCase ? "after-sales" : "order",
    caseId: task.afterSalesCase?.caseId ?? "",
    caseKind: task.afterSalesCase?.caseKind ?? "",
    goods: task.afterSalesCase?.goods ?? [],
  };
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? "";

/** A service task's visit: appointment, arrival, records, reports (refused ones too) and exceptions. */
async function serviceView(pool: pg.Pool, task: Task): Promise<dispatchApi.ServiceView> {
  const [visit, records, reports, exceptions, booking] = await Promise.all([
    serviceVisitRepository.visitOf(pool, task.taskId),
    serviceVisitRepository.recordsOf(pool, task.taskId),
    serviceVisitRepository.reportsOf(pool, task.taskId),
    serviceVisitRepository.exceptionsOf(pool, task.taskId),
    // The order's booked window is its own service's, not an after-sales visit's.
    task.afterSalesCase ? undefined : bookingRepository.findByOrder(pool, task.orderId),
  ]);
  return {
    appointmentFrom: iso(visit?.appointment_from),
    appointmentUntil: iso(visit?.appointment_until),
    siteSurveyNeeded: visit?.site_survey_needed ?? false,
    needs: visit?.needs ?? "",
    toolsAndMaterials: visit?.tools_and_materials ?? [],
    confirmedAt: iso(visit?.confirmed_at),
    checkedInAt: iso(visit?.checked_in_at),
    lateMinutes: visit?.late_minutes ?? 0,
    round: task.reworkRound ?? 0,
    records: records.map((r) => ({
      recordId: r.record_id,
      staffId: r.staff_id,
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      content: r.content,
      customerRemarks: r.customer_remarks,
      photoRefs: r.photo_refs,
      recordedAt: iso(r.recorded_at),
      round: r.round,
    })),
    reports: reports.map((r) => ({
      reportId: r.report_id,
      staffId: r.staff_id,
      submittedAt: iso(r.submitted_at),
      checklist: r.checklist,
      attachmentRefs: r.attachment_refs,
      outcome: r.outcome,
      outcomeAt: iso(r.outcome_at),
      round: r.round,
      collectedMinor: Number(r.collected_minor),
    })),
    exceptions: exceptions.map((e) => ({
      exceptionId: e.exception_id,
      staffId: e.staff_id,
      kind: e.kind,
      cause: e.cause,
      measure: e.measure,
      newTime: iso(e.new_time),
      reportedAt: iso(e.reported_at),
    })),
    booking: booking ? bookingView(booking) : undefined,
  };
}
