import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { EventTypes, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import { IllegalStateError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { scheduleTimer } from "@oms/timers";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { storeSettingsRepository } from "../../adapters/pg/store-settings-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { AssignmentLocks, TaskLock } from "../../adapters/redis/assignment-lock.ts";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";
import { compareDispatchOrder } from "../../domain/assignee-choice.ts";
import { decide, type Task, type TaskAssigned, type TaskEvent } from "../../domain/task.ts";
import { TimerKinds } from "../timer-kinds.ts";
import { originOf } from "./task-origin.ts";

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
  /** When a task whose attempt failed unexpectedly is tried again. */
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
 * first, then older): each is tried under its own lock and transaction. Stores share
 * nothing an assignment locks or counts (staff rows, workload counters), so up to
 * `storeConcurrency` stores are worked side by side, each store's tasks one after the
 * other in dispatch order. A task that fails unexpectedly is logged and put back for
 * later, so it cannot block the queue; Redis being unreachable stops the pass (no lock,
 * no assignment) once the stores in progress have finished.
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
        for (const { taskId } of tasks) {
          const outcome = await assignTask(engine, taskId);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }
    }),
  );
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return { attempted: due.length, outcomes };
}

/** Tries to assign one task: takes its lock, decides and writes in one transaction, then releases. */
export async function assignTask(engine: AssignmentEngine, taskId: string): Promise<TaskAttempt> {
  const lock = await engine.locks.acquire(taskId);
  if (!lock) return "locked-elsewhere";
  try {
    if (engine.testPauseAfterLockMs) {
      engine.logger.warn({ taskId, token: lock.token, pauseMs: engine.testPauseAfterLockMs }, "fault injection: holding the task lock before writing");
      await sleep(engine.testPauseAfterLockMs);
    }
    return await assignUnderLock(engine, lock);
  } catch (error) {
    engine.logger.error({ err: error, taskId }, "assigning a task failed; it is retried later");
    await taskRepository.deferAttempt(engine.pool, taskId, engine.retryFailedAfterMs);
    return "failed";
  } finally {
    await releaseLock(engine, lock);
  }
}

/**
 * The transaction that writes an assignment, for a lock already held: the task row is
 * locked and must still be pending, the store's staff rows are locked while the choice
 * is made, and the write only lands if no newer token wrote first.
 */
export async function assignUnderLock(engine: AssignmentEngine, lock: TaskLock): Promise<TaskAttempt> {
  let decided: { task: Task; event: TaskEvent } | undefined;
  try {
    decided = await retryOnConflict(() =>
      withTransaction(engine.pool, async (tx) => {
        const task = await taskRepository.lockById(tx, lock.taskId);
        if (!task || task.status !== "pending") return undefined;
        const candidates = await staffRepository.lockWorkloadOfStore(tx, task.storeId);
        const settings = await storeSettingsRepository.find(tx, task.storeId);
        const now = engine.clock();
        const [event] = decide(
          {
            type: "AssignTask",
            candidates,
            now,
            fencingToken: lock.token,
            assignmentId: randomUUID(),
            acknowledgeWithinMs: settings.acknowledgeWithinSeconds ? settings.acknowledgeWithinSeconds * 1_000 : engine.acknowledgeWithinMs,
            ...(settings.preferredStaffId ? { preferredStaffId: settings.preferredStaffId } : {}),
          },
          task,
        );
        if (!event) return undefined;
        await apply(tx, engine, task, event, now);
        return { task, event };
      }),
    );
  } catch (error) {
    if (error instanceof StaleFencingToken) {
      engine.logger.warn({ taskId: lock.taskId, token: lock.token }, "assignment refused: a newer lock holder wrote first");
      return "stale-token";
    }
    throw error;
  }
  if (!decided) return "not-pending";
  if (decided.event.type !== "TaskAssigned") return "queued";
  await countAssignment(engine, decided.task.storeId, decided.event);
  return "assigned";
}

class StaleFencingToken extends IllegalStateError {}

async function releaseLock(engine: AssignmentEngine, lock: TaskLock): Promise<void> {
  try {
    const released = await engine.locks.release(lock);
    if (!released) engine.logger.warn({ taskId: lock.taskId, token: lock.token }, "task lock had expired before it was released");
  } catch (error) {
    // Not fatal: the lock expires by itself after its TTL.
    engine.logger.warn({ err: error, taskId: lock.taskId }, "releasing a task lock failed");
  }
}

async function apply(tx: pg.ClientBase, engine: AssignmentEngine, task: Task, event: TaskEvent, now: Date): Promise<void> {
  const origin = originOf(task, systemActor("dispatch"), now);
  const announce: OrderEvent[] = [];
  switch (event.type) {
    case "TaskAssigned": {
      const written = await taskRepository.recordAssignment(tx, { taskId: task.taskId, ...event });
      if (!written) {
        throw new StaleFencingToken("dispatch.stale-fencing-token", `task ${task.taskId}: a newer lock holder already wrote; token ${event.fencingToken} is stale`);
      }
      announce.push(
        newEvent(
          EventTypes.TaskAssigned,
          {
            taskId: task.taskId,
            assignmentId: event.assignmentId,
            staffId: event.staffId,
            acknowledgeBy: event.acknowledgeBy.toISOString(),
            fencingToken: event.fencingToken,
          },
          origin,
        ),
      );
      if (task.kind === "service") {
        await stepDeadlineRepository.handOver(tx, task.taskId, event.staffId);
        await bookingRepository.assignTo(tx, task.orderId, event.staffId);
      }
      // Durable, so a restart (or this instance dying) cannot lose the deadline.
      await scheduleTimer(tx, {
        kind: TimerKinds.acknowledgeDeadline,
        key: event.assignmentId,
        orderId: task.orderId,
        dueAt: event.acknowledgeBy,
        payload: { taskId: task.taskId },
      });
      break;
    }
    case "TaskQueued":
      await taskRepository.recordQueued(tx, task.taskId, event.reason, engine.retryQueuedAfterMs);
      if (event.firstTime) announce.push(newEvent(EventTypes.TaskQueued, { taskId: task.taskId, reason: event.reason }, origin));
      break;
    case "TaskClosed":
    case "AssignmentAcknowledged":
    case "AssignmentReleased":
      throw new IllegalStateError("dispatch.unexpected-task-event", `assigning task ${task.taskId} decided ${event.type}`);
    default: {
      const unknown: never = event;
      throw new Error(`unknown task event ${String((unknown as TaskEvent).type)}`);
    }
  }
  await engine.outbox.append(tx, announce);
}

/**
 * Counts the committed assignment in Redis. The count Redis returns should be the one
 * Postgres had under lock plus one; anything else (Redis lost data, a rebuild raced an
 * increment) marks the store for a rebuild from Postgres.
 */
async function countAssignment(engine: AssignmentEngine, storeId: string, event: TaskAssigned): Promise<void> {
  try {
    const count = await engine.counters.add(storeId, event.staffId, 1);
    if (count !== event.activeTasksBefore + 1) engine.staleCounterStores.add(storeId);
  } catch (error) {
    engine.logger.warn({ err: error, storeId }, "workload counter not updated; it is rebuilt from Postgres");
    engine.staleCounterStores.add(storeId);
  }
}
