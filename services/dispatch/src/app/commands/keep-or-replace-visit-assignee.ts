import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { Task } from "../../domain/task.ts";
import { overlaps, spanOf, unavailabilityFor, workTimeOf } from "../../domain/work-time.ts";
import { releaseAssignment, type ReleaseDeps } from "./release-assignment.ts";

/**
 * After a visit moved, in its transaction (task row locked): its assignee keeps it if they
 * can do the new time (active, on shift for all of it, not absent, no other visit then);
 * otherwise the assignment is withdrawn, even though acknowledged, and the engine gives the
 * visit to someone who can. Returns the task as it is now.
 */
export async function keepOrReplaceVisitAssignee(tx: pg.ClientBase, deps: ReleaseDeps, task: Task, now: Date, actor: Actor, correlationId?: string): Promise<Task> {
  if (!task.assigneeStaffId || !task.visit) return task;
  const staff = await staffRepository.findById(tx, task.assigneeStaffId, true);
  const time = workTimeOf(task, now);
  let reason: string | undefined = staff ? unavailabilityFor(staff, time) : "inactive";
  if (!reason) {
    const others = await taskRepository.visitsHeldBy(tx, task.assigneeStaffId, task.taskId);
    if (others.some((visit) => overlaps(visit, spanOf(time)))) reason = "another-visit";
  }
  if (!reason) return task;
  return releaseAssignment(tx, deps, task, { type: "ReleaseAssignment", cause: "withdrawn", reason, now, includingAcknowledged: true }, actor, correlationId);
}
