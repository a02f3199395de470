import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import { IllegalStateError } from "@oms/errors";
import type { EventAppender } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { scheduleTimers, type TimerSpec } from "@oms/timers";
import { bookingRepository } from "../../adapters/pg/booking-repository.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { storeSettingsRepository, type StoreDispatchSettings } from "../../adapters/pg/store-settings-repository.ts";
import { taskRepository, type AssignmentRecord } from "../../adapters/pg/task-repository.ts";
import type { TaskLock } from "../../adapters/redis/assignment-lock.ts";
import type { StaffWorkload } from "../../domain/staff.ts";
import { acknowledgeTimerKey } from "../../domain/order-hold.ts";
import { decide, type Task, type TaskAssigned, type AssignTask, type TaskEvent } from "../../domain/task.ts";
import { TimerKinds } from "../timer-kinds.ts";
import type { AssignmentEngine, TaskAttempt } from "./assign-pending-tasks.ts";
import { originOf } from "./task-origin.ts";

/**
 * Assigning one task whose lock is held, in its own transaction, and the writes every
 * assignment makes (the task and its assignment, the acknowledgement deadline, the events,
 * the workload counters) — shared by the store batch (assign-store-tasks.ts), which writes
 * its tasks together, and its fallback of one task at a time.
 */

/** One task whose lock is held: a failure is logged and the task put back for later, so it cannot block the queue. */
export async function assignHeldTask(engine: AssignmentEngine, lock: TaskLock): Promise<TaskAttempt> {
  try {
    return await assignUnderLock(engine, lock);
  } catch (error) {
    engine.logger.error({ err: error, taskId: lock.taskId }, "assigning a task failed; it is retried later");
    await taskRepository.deferAttempt(engine.pool, lock.taskId, engine.retryFailedAfterMs);
    return "failed";
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
        const [event] = decide(assignCommand(engine, settings, candidates, lock, now), task);
        if (!event) return undefined;
        const writes = new AssignmentWrites();
        await writes.add(tx, engine, task, event, now);
        await writes.flush(tx, engine.outbox);
        return { task, event };
      }),
    );
  } catch (error) {
    if (error instanceof StaleFencingToken) {
      engine.logger.warn({ taskId: lock.taskId, token: lock.token }, "assignment refused: the task holds a newer token (a newer lock holder wrote, or Redis lost its counter); tried again later");
      // Put back like a failed attempt: a task still pending would otherwise be the first
      // of every pass again, refused each time, until the pass raises the token floor.
      await taskRepository.deferAttempt(engine.pool, lock.taskId, engine.retryFailedAfterMs);
      return "stale-token";
    }
    throw error;
  }
  if (!decided) return "not-pending";
  if (decided.event.type !== "TaskAssigned") return "queued";
  await countAssignments(engine, decided.task.storeId, [decided.event]);
  return "assigned";
}

/** What assigning the task under this lock asks of the domain, with the store's settings and the candidates' workloads. */
export function assignCommand(engine: AssignmentEngine, settings: StoreDispatchSettings, candidates: StaffWorkload[], lock: TaskLock, now: Date): AssignTask {
  return {
    type: "AssignTask",
    candidates,
    now,
    fencingToken: lock.token,
    assignmentId: randomUUID(),
    acknowledgeWithinMs: settings.acknowledgeWithinSeconds ? settings.acknowledgeWithinSeconds * 1_000 : engine.acknowledgeWithinMs,
    ...(settings.preferredStaffId ? { preferredStaffId: settings.preferredStaffId } : {}),
  };
}

/** The task's write was refused: it holds a newer token (a newer holder wrote first, or Redis lost its counter). */
class StaleFencingToken extends IllegalStateError {}

/** Releases the locks still ours, in one round trip. Not fatal when it fails: a lock expires by itself after its TTL. */
export async function releaseLocks(engine: AssignmentEngine, locks: readonly TaskLock[]): Promise<void> {
  try {
    const released = await engine.locks.releaseMany(locks);
    locks.forEach((lock, i) => {
      if (!released[i]) engine.logger.warn({ taskId: lock.taskId, token: lock.token }, "task lock had expired before it was released");
    });
  } catch (error) {
    engine.logger.warn({ err: error, taskIds: locks.map((l) => l.taskId) }, "releasing task locks failed");
  }
}

/**
 * What assigning decided for a transaction's tasks, written set-wise by `flush`: the
 * assignments in two statements, their acknowledgement deadlines in one, the events in
 * one. A service task's visit and booking follow its assignee at once (rarely more than
 * one a batch); a queued task is recorded at once.
 */
export class AssignmentWrites {
  #assignments: AssignmentRecord[] = [];
  #timers: TimerSpec[] = [];
  #events: OrderEvent[] = [];

  async add(tx: pg.ClientBase, engine: AssignmentEngine, task: Task, event: TaskEvent, now: Date): Promise<void> {
    const origin = originOf(task, systemActor("dispatch"), now);
    switch (event.type) {
      case "TaskAssigned": {
        this.#assignments.push({ taskId: task.taskId, ...event });
        this.#events.push(
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
          // The order's booked window is its own service's; an after-sales visit has none.
          if (!task.afterSalesCase) await bookingRepository.assignTo(tx, task.orderId, event.staffId);
        }
        // Durable, so a restart (or this instance dying) cannot lose the deadline.
        // Keyed in the task's hold round (a task paused before was given keys of a new round).
        this.#timers.push({
          kind: TimerKinds.acknowledgeDeadline,
          key: acknowledgeTimerKey(event.assignmentId, task.holdRound),
          orderId: task.orderId,
          dueAt: event.acknowledgeBy,
          payload: { taskId: task.taskId, assignmentId: event.assignmentId },
        });
        return;
      }
      case "TaskQueued":
        await taskRepository.recordQueued(tx, task.taskId, event.reason, engine.retryQueuedAfterMs);
        if (event.firstTime) this.#events.push(newEvent(EventTypes.TaskQueued, { taskId: task.taskId, reason: event.reason }, origin));
        return;
      case "TaskClosed":
      case "AssignmentAcknowledged":
      case "AssignmentReleased":
        throw new IllegalStateError("dispatch.unexpected-task-event", `assigning task ${task.taskId} decided ${event.type}`);
      default: {
        const unknown: never = event;
        throw new Error(`unknown task event ${String((unknown as TaskEvent).type)}`);
      }
    }
  }

  /** Writes it all; a task a newer lock holder wrote first fails the whole write (StaleFencingToken). */
  async flush(tx: pg.ClientBase, outbox: EventAppender): Promise<void> {
    const written = await taskRepository.recordAssignments(tx, this.#assignments);
    const stale = this.#assignments.filter((a) => !written.has(a.taskId));
    if (stale.length > 0) {
      const which = stale.map((a) => `${a.taskId} (token ${a.fencingToken})`).join(", ");
      throw new StaleFencingToken("dispatch.stale-fencing-token", `the task already holds a newer token: ${which}`);
    }
    await scheduleTimers(tx, this.#timers);
    await outbox.append(tx, this.#events);
    this.#assignments = [];
    this.#timers = [];
    this.#events = [];
  }
}

/**
 * Counts committed assignments in Redis, in one round trip. The count Redis returns for
 * each should be the one Postgres had under lock plus one; anything else (Redis lost data,
 * a rebuild raced an increment) marks the store for a rebuild from Postgres.
 */
export async function countAssignments(engine: AssignmentEngine, storeId: string, events: readonly TaskAssigned[]): Promise<void> {
  try {
    const counts = await engine.counters.addOneEach(
      storeId,
      events.map((e) => e.staffId),
    );
    if (events.some((event, i) => counts[i] !== event.activeTasksBefore + 1)) engine.staleCounterStores.add(storeId);
  } catch (error) {
    engine.logger.warn({ err: error, storeId }, "workload counters not updated; they are rebuilt from Postgres");
    engine.staleCounterStores.add(storeId);
  }
}
