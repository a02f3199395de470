import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { AssignmentLocks } from "../../adapters/redis/assignment-lock.ts";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";
import { compareDispatchOrder } from "../../domain/assignee-choice.ts";
import { assignStoreTasks } from "./assign-store-tasks.ts";
import { raiseTokenFloor } from "./raise-token-floor.ts";

/** What the assignment engine works with; built once in service.ts. */
export interface AssignmentEngine {
  pool: pg.Pool;
  outbox: OutboxWriter;
  locks: AssignmentLocks;
  counters: WorkloadCounters;
  logger: Logger;
  clock: () => Date;
  /** How long an assignee has to acknowledge, for stores without their own window. */
  acknowledgeWithinMs: number;
  /** When a queued task (nobody eligible) is tried again, unless the store's staff changes first. */
  retryQueuedAfterMs: number;
  /** When a task whose attempt failed unexpectedly, or whose write was refused as stale, is tried again. */
  retryFailedAfterMs: number;
  /** How many stores a pass works on side by side (one task at a time within a store). */
  storeConcurrency: number;
  /** Stores whose Redis counters may be wrong; the worker rebuilds them from Postgres. */
  staleCounterStores: Set<string>;
  /**
   * FAULT INJECTION for tests only (DISPATCH_TEST_PAUSE_AFTER_LOCK_MS): stalls between
   * taking a task's lock and writing, so a test can kill or outlive the holder. 0 = off.
   */
  testPauseAfterLockMs?: number;
}

export type TaskAttempt = "assigned" | "queued" | "not-pending" | "locked-elsewhere" | "stale-token" | "failed";

export interface PassResult {
  attempted: number;
  outcomes: Partial<Record<TaskAttempt, number>>;
}

/**
 * One pass over the pending tasks that are due, in dispatch order (higher priority
 * first, then older), a store at a time: each store's due tasks are decided one after
 * the other in one transaction (assign-store-tasks.ts). Stores share nothing an
 * assignment locks or counts (staff rows, workload counters), so up to
 * `storeConcurrency` stores are worked side by side. A task that fails unexpectedly, or
 * whose write is refused as stale, is put back for later, so it cannot block the queue;
 * after a refusal the token floor is raised from Postgres. Redis being unreachable
 * stops the pass (no lock, no assignment) once the stores in progress have finished.
 */
export async function assignPendingTasks(engine: AssignmentEngine, limit = 100): Promise<PassResult> {
  const due = (await taskRepository.dueForDispatch(engine.pool, limit)).sort(compareDispatchOrder);
  const outcomes: PassResult["outcomes"] = {};
  const stores = [...Map.groupBy(due, (task) => task.storeId).values()];
  const laneCount = Math.max(1, Math.min(engine.storeConcurrency, stores.length));
  const lanes = Array.from({ length: laneCount }, (_, lane) => stores.filter((_, i) => i % laneCount === lane));
  const settled = await Promise.allSettled(
    lanes.map(async (lane) => {
      for (const tasks of lane) {
        const attempts = await assignStoreTasks(engine, tasks[0]!.storeId, tasks.map((t) => t.taskId));
        for (const outcome of attempts.values()) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  // A refused write may mean Redis lost its counter mid-run: the refused tasks are deferred,
  // and their next attempt must come with tokens above what Postgres holds.
  if (outcomes["stale-token"]) await raiseTokenFloor(engine);
  return { attempted: due.length, outcomes };
}
