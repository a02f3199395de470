import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { storeSettingsRepository } from "../../adapters/pg/store-settings-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { TaskLock } from "../../adapters/redis/assignment-lock.ts";
import { withTaskAssigned } from "../../domain/staff.ts";
import { decide, type TaskAssigned } from "../../domain/task.ts";
import type { AssignmentEngine, TaskAttempt } from "./assign-pending-tasks.ts";
import { AssignmentWrites, assignCommand, assignHeldTask, countAssignments, releaseLocks } from "./assignment-writes.ts";

interface Decided {
  taskId: string;
  attempt: TaskAttempt;
  assigned?: TaskAssigned;
}

/**
 * Assigns a store's due tasks (given in dispatch order) in one transaction: their locks
 * are taken in one go, the tasks and the store's staff rows are locked and the workloads
 * read once, and each task is decided against the workloads as the tasks before it left
 * them (withTaskAssigned) — what a transaction per task would have read, for a fraction
 * of the round trips, which on a busy machine are what assignment time is made of.
 *
 * If the batch fails (a newer lock holder wrote one of the tasks, a task that cannot be
 * decided), each of its tasks is tried on its own, so that one task cannot hold up the
 * others. Redis being unreachable fails the call: no lock, no assignment.
 */
export async function assignStoreTasks(engine: AssignmentEngine, storeId: string, taskIds: readonly string[]): Promise<Map<string, TaskAttempt>> {
  const attempts = new Map<string, TaskAttempt>();
  const held = await engine.locks.acquireMany(taskIds);
  const locks = taskIds.flatMap((taskId) => {
    const lock = held.get(taskId);
    if (!lock) attempts.set(taskId, "locked-elsewhere");
    return lock ? [lock] : [];
  });
  if (locks.length === 0) return attempts;
  try {
    await pauseForFaultInjection(engine, locks);
    let decided: Decided[];
    try {
      decided = await retryOnConflict(() => withTransaction(engine.pool, (tx) => decideAndWrite(tx, engine, storeId, locks)));
    } catch (error) {
      engine.logger.warn({ err: error, storeId, tasks: locks.length }, "assigning the store's tasks together failed; trying each on its own");
      for (const lock of locks) attempts.set(lock.taskId, await assignHeldTask(engine, lock));
      return attempts;
    }
    for (const { taskId, attempt } of decided) attempts.set(taskId, attempt);
    await countAssignments(
      engine,
      storeId,
      decided.flatMap((d) => (d.assigned ? [d.assigned] : [])),
    );
    return attempts;
  } finally {
    await releaseLocks(engine, locks);
  }
}

async function decideAndWrite(tx: pg.ClientBase, engine: AssignmentEngine, storeId: string, locks: readonly TaskLock[]): Promise<Decided[]> {
  const tasks = new Map((await taskRepository.lockByIds(tx, locks.map((l) => l.taskId))).map((task) => [task.taskId, task]));
  let candidates = await staffRepository.lockWorkloadOfStore(tx, storeId);
  const settings = await storeSettingsRepository.find(tx, storeId);
  const now = engine.clock();
  const writes = new AssignmentWrites();
  const decided: Decided[] = [];
  for (const lock of locks) {
    const task = tasks.get(lock.taskId);
    // Taken meanwhile, or moved to another store since the pass read it (the next pass finds it there).
    const [event] = task && task.storeId === storeId ? decide(assignCommand(engine, settings, candidates, lock, now), task) : [];
    if (!task || !event) {
      decided.push({ taskId: lock.taskId, attempt: "not-pending" });
      continue;
    }
    await writes.add(tx, engine, task, event, now);
    if (event.type === "TaskAssigned") {
      candidates = withTaskAssigned(candidates, event.staffId, task);
      decided.push({ taskId: task.taskId, attempt: "assigned", assigned: event });
    } else {
      decided.push({ taskId: task.taskId, attempt: "queued" });
    }
  }
  await writes.flush(tx, engine.outbox);
  return decided;
}

/** FAULT INJECTION (tests only): holds the locks a while before writing. */
async function pauseForFaultInjection(engine: AssignmentEngine, locks: readonly TaskLock[]): Promise<void> {
  if (!engine.testPauseAfterLockMs) return;
  engine.logger.warn({ taskIds: locks.map((l) => l.taskId), tokens: locks.map((l) => l.token), pauseMs: engine.testPauseAfterLockMs }, "fault injection: holding the task lock before writing");
  await sleep(engine.testPauseAfterLockMs);
}
