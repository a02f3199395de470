import { systemActor } from "@oms/contracts";
import type { TimerHandler } from "@oms/timers";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { acknowledgeTimerKey, assignmentOfTimerKey } from "../../domain/order-hold.ts";
import { releaseAssignment, type ReleaseDeps } from "../../app/commands/release-assignment.ts";

/**
 * An assignment's acknowledgement deadline passed: if that assignment is still waiting,
 * the miss is recorded and the task is reassigned to someone else. The timer fires once
 * (in the timer's transaction), whichever instance polls it, and survives restarts. A
 * deadline restarted after a pause is keyed `<assignmentId>~fm<n>` and names its assignment in
 * its payload. A paused task (its order held for force majeure; the timer was left to fire as
 * the pause came) records no miss, nor does a timer of a hold round before: resuming gives the
 * assignment a fresh window, under a key of its own.
 */
export function acknowledgeDeadlineElapsed(deps: ReleaseDeps & { clock: () => Date }): TimerHandler {
  return async (timer, tx) => {
    const taskId = String(timer.payload.taskId ?? "");
    const task = await taskRepository.lockById(tx, taskId);
    if (!task || task.heldSince) return;
    const assignmentId = typeof timer.payload.assignmentId === "string" ? timer.payload.assignmentId : assignmentOfTimerKey(timer.key);
    // A deadline of a hold round before (a pause left it to fire, and its firing was put off past the resumption):
    // the resumption moved the deadline on and restarted it under the current round's key, which alone may miss.
    if (timer.key !== acknowledgeTimerKey(assignmentId, task.holdRound)) return;
    await releaseAssignment(
      tx,
      deps,
      task,
      { type: "ReleaseAssignment", cause: "missed", assignmentId, reason: "not acknowledged in time", now: deps.clock() },
      systemActor("dispatch"),
    );
  };
}
