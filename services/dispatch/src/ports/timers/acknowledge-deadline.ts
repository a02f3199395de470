import { systemActor } from "@oms/contracts";
import type { TimerHandler } from "@oms/timers";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { releaseAssignment, type ReleaseDeps } from "../../app/commands/release-assignment.ts";

/**
 * An assignment's acknowledgement deadline passed: if that assignment is still waiting,
 * the miss is recorded and the task is reassigned to someone else. The timer fires once
 * (in the timer's transaction), whichever instance polls it, and survives restarts.
 */
export function acknowledgeDeadlineElapsed(deps: ReleaseDeps & { clock: () => Date }): TimerHandler {
  return async (timer, tx) => {
    const taskId = String(timer.payload.taskId ?? "");
    const task = await taskRepository.lockById(tx, taskId);
    if (!task) return;
    await releaseAssignment(
      tx,
      deps,
      task,
      { type: "ReleaseAssignment", cause: "missed", assignmentId: timer.key, reason: "not acknowledged in time", now: deps.clock() },
      systemActor("dispatch"),
    );
  };
}
