import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { Redis } from "ioredis";
import { Topics, decodeEvent, type OrderEvent } from "@oms/contracts";
import { OutboxWriter, messagingMigrations } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, provisionServiceSchema, runMigrations, statementsSentByThisProcess, withTransaction } from "@oms/postgres";
import { createTestNamespace, testServiceConfig, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { AssignmentLocks, type TaskLock } from "../../adapters/redis/assignment-lock.ts";
import { deleteAllKeys, dispatchKeys, type DispatchKeys } from "../../adapters/redis/keys.ts";
import { connectRedis } from "../../adapters/redis/redis-client.ts";
import { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";
import { dispatchService } from "../../service.ts";
import { assignmentRequested, randomStore, staffMember } from "../../testing/fixtures.ts";
import { assignPendingTasks, type AssignmentEngine } from "./assign-pending-tasks.ts";
import { assignUnderLock } from "./assignment-writes.ts";
import { requestAssignments } from "./request-assignment.ts";

// The engine against real Postgres and Redis, without a running service, so that no
// background worker takes the tasks these tests set up.
const logger = createLogger({ service: "dispatch-test", level: "silent", pretty: false });
let namespace: TestNamespace;
let pool: pg.Pool;
let redis: Redis;
let keys: DispatchKeys;
let engine: AssignmentEngine;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const config = testServiceConfig("dispatch", namespace);
  await provisionServiceSchema(config.databaseUrl, { schema: config.schema, role: config.role });
  pool = createPool({ url: config.serviceDatabaseUrl, schema: config.schema, applicationName: "dispatch-test" });
  await runMigrations(pool, config.schema, [...messagingMigrations, ...timerMigrations, ...dispatchService.migrations]);
  redis = await connectRedis(config.redisUrl, logger);
  keys = dispatchKeys(namespace.name);
  engine = {
    pool,
    outbox: new OutboxWriter({ topic: Topics.dispatchAssignment, schema: config.schema }),
    locks: new AssignmentLocks(redis, keys, 10_000),
    counters: new WorkloadCounters(redis, keys),
    logger,
    clock: () => new Date(),
    acknowledgeWithinMs: 30 * 60_000,
    retryQueuedAfterMs: 0,
    retryFailedAfterMs: 0,
    storeConcurrency: 4,
    staleCounterStores: new Set(),
  };
});

afterAll(async () => {
  await pool?.end();
  if (redis) {
    await deleteAllKeys(redis, keys);
    await redis.quit();
  }
  await namespace?.drop();
});

async function request(storeId: string, tasks: { priority: number }[]) {
  // One millisecond apart, so that "older first" has something to go by.
  const start = Date.now();
  const events = tasks.map((t, i) => ({ ...assignmentRequested(storeId, t), occurredAt: new Date(start + i) }));
  await withTransaction(pool, async (tx) => {
    await requestAssignments(tx, "dispatch", events);
  });
  return events.map((e) => e.payload.taskId);
}

async function outboxEventsOf(taskIds: string[]): Promise<OrderEvent[]> {
  const { rows } = await pool.query<{ payload: Buffer }>("SELECT payload FROM outbox ORDER BY id");
  return rows.map((r) => decodeEvent(r.payload)!).filter((e) => "taskId" in e.payload && taskIds.includes(e.payload.taskId));
}

describe("assigning pending tasks", () => {
  it("serves higher priority first, then older, fills capacity evenly and queues the rest once", async () => {
    const storeId = randomStore();
    await staffRepository.upsert(pool, [staffMember(storeId, `${storeId}-a`, { capacity: 1 }), staffMember(storeId, `${storeId}-b`, { capacity: 1 })]);
    const [lowOld, high, middle, lowNew] = await request(storeId, [{ priority: 1 }, { priority: 5 }, { priority: 3 }, { priority: 1 }]);
    const taskIds = [lowOld!, high!, middle!, lowNew!];

    const first = await assignPendingTasks(engine);
    expect(first.outcomes).toEqual({ assigned: 2, queued: 2 });
    expect(await taskRepository.findById(pool, high!)).toMatchObject({ status: "assigned", assigneeStaffId: `${storeId}-a` });
    expect(await taskRepository.findById(pool, middle!)).toMatchObject({ status: "assigned", assigneeStaffId: `${storeId}-b` });
    expect(await taskRepository.findById(pool, lowOld!)).toMatchObject({ status: "pending", queuedReason: "everyone eligible is at capacity" });

    const second = await assignPendingTasks(engine);
    expect(second.outcomes).toEqual({ queued: 2 });
    const announced = (await outboxEventsOf(taskIds)).map((e) => `${e.type.slice(14)}:${taskIds.indexOf((e.payload as { taskId: string }).taskId)}`);
    expect(announced).toEqual(["TaskAssigned:1", "TaskAssigned:2", "TaskQueued:0", "TaskQueued:3"]);
    expect(await engine.counters.read(storeId)).toEqual(new Map([[`${storeId}-a`, 1], [`${storeId}-b`, 1]]));
  });

  it("leaves a task to the instance that holds its lock", async () => {
    const storeId = randomStore();
    await staffRepository.upsert(pool, [staffMember(storeId, `${storeId}-a`)]);
    const [taskId] = await request(storeId, [{ priority: 1 }]);
    const held = await engine.locks.acquire(taskId!);
    expect(held).toBeDefined();
    expect(await engine.locks.acquire(taskId!)).toBeUndefined();
    expect((await assignPendingTasks(engine)).outcomes).toMatchObject({ "locked-elsewhere": 1 });
    expect(await engine.locks.release(held!)).toBe(true);
    expect((await assignPendingTasks(engine)).outcomes).toMatchObject({ assigned: 1 });
  });
});

describe("a pass over several stores", () => {
  it("works different stores side by side", async () => {
    const stores = [randomStore(), randomStore()];
    const storeOf = new Map<string, string>();
    for (const storeId of stores) {
      await staffRepository.upsert(pool, [staffMember(storeId, `${storeId}-a`)]);
      for (const taskId of await request(storeId, [{ priority: 1 }, { priority: 1 }])) storeOf.set(taskId, storeId);
    }
    // Watches the stores whose tasks' locks are held at once; each store's are held a while before writing.
    const holding = new Map<string, number>();
    let mostStoresAtOnce = 0;
    const { locks } = engine;
    const watched = {
      acquireMany: async (taskIds: string[]) => {
        const taken = await locks.acquireMany(taskIds);
        for (const taskId of taken.keys()) {
          const storeId = storeOf.get(taskId);
          if (storeId) holding.set(storeId, (holding.get(storeId) ?? 0) + 1);
        }
        mostStoresAtOnce = Math.max(mostStoresAtOnce, holding.size);
        return taken;
      },
      releaseMany: async (held: TaskLock[]) => {
        for (const { taskId } of held) {
          const storeId = storeOf.get(taskId);
          if (storeId && (holding.get(storeId) ?? 0) <= 1) holding.delete(storeId);
          else if (storeId) holding.set(storeId, holding.get(storeId)! - 1);
        }
        return locks.releaseMany(held);
      },
    } as unknown as AssignmentLocks;

    await assignPendingTasks({ ...engine, locks: watched, testPauseAfterLockMs: 150 });
    for (const taskId of storeOf.keys()) expect(await taskRepository.findById(pool, taskId)).toMatchObject({ status: "assigned" });
    expect(mostStoresAtOnce).toBe(2);
  });
});

describe("a task that cannot be worked", () => {
  it("is logged and put back for later without holding up the rest of the queue", async () => {
    const broken = randomStore();
    const healthy = randomStore();
    // A row no use case would write (an unknown time zone), so that deciding fails.
    await staffRepository.upsert(pool, [staffMember(broken, `${broken}-a`, { timezone: "Mars/Olympus" }), staffMember(healthy, `${healthy}-a`)]);
    const [stuck] = await request(broken, [{ priority: 9 }]);
    const [fine] = await request(healthy, [{ priority: 1 }]);
    const patient = { ...engine, retryFailedAfterMs: 60_000 };

    expect((await assignPendingTasks(patient)).outcomes).toMatchObject({ failed: 1, assigned: 1 });
    expect(await taskRepository.findById(pool, fine!)).toMatchObject({ status: "assigned" });
    expect(await taskRepository.findById(pool, stuck!)).toMatchObject({ status: "pending" });
    expect((await taskRepository.dueForDispatch(pool, 100)).map((t) => t.taskId)).not.toContain(stuck);
  });
});

describe("capacity under concurrency", () => {
  it("waits for another instance's assignment in the same store and counts it before choosing", async () => {
    const storeId = randomStore();
    const person = `${storeId}-only`;
    await staffRepository.upsert(pool, [staffMember(storeId, person, { capacity: 1 })]);
    const [first, second] = await request(storeId, [{ priority: 1 }, { priority: 1 }]);

    // Another instance is half-way through giving the only free slot to the first task.
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      expect(await staffRepository.lockWorkloadOfStore(other, storeId)).toMatchObject([{ activeTasks: 0 }]);
      await taskRepository.recordAssignment(other, {
        taskId: first!,
        assignmentId: `${first}-other`,
        staffId: person,
        fencingToken: 1,
        assignedAt: new Date(),
        acknowledgeBy: new Date(Date.now() + 60_000),
      });
      const lock = await engine.locks.acquire(second!);
      const attempt = assignUnderLock(engine, lock!);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await other.query("COMMIT");
      expect(await attempt).toBe("queued");
      await engine.locks.release(lock!);
    } finally {
      other.release();
    }
    expect(await taskRepository.findById(pool, second!)).toMatchObject({ status: "pending", queuedReason: "everyone eligible is at capacity" });
  });
});

describe("fencing", () => {
  it("refuses only the task a newer lock holder wrote when a store's tasks are assigned together, defers it and raises the token floor", async () => {
    const storeId = randomStore();
    await staffRepository.upsert(pool, [staffMember(storeId, `${storeId}-a`), staffMember(storeId, `${storeId}-b`)]);
    const [overtaken, fine] = await request(storeId, [{ priority: 1 }, { priority: 1 }]);
    // Between taking the locks and writing, another holder (whose token is far newer) writes the first task's token.
    const newer = Number(await redis.get(keys.fencingCounter)) + 1_000_000;
    const { locks } = engine;
    const overtaking = {
      acquireMany: async (taskIds: string[]) => {
        const taken = await locks.acquireMany(taskIds);
        if (taken.has(overtaken!)) await pool.query("UPDATE tasks SET fencing_token = $2 WHERE task_id = $1", [overtaken, newer]);
        return taken;
      },
      releaseMany: (held: TaskLock[]) => locks.releaseMany(held),
      raiseTokensAbove: (highest: number) => locks.raiseTokensAbove(highest),
    } as unknown as AssignmentLocks;

    const pass = await assignPendingTasks({ ...engine, locks: overtaking, retryFailedAfterMs: 60_000 });
    expect(pass.outcomes).toMatchObject({ "stale-token": 1 });
    expect(await taskRepository.findById(pool, overtaken!)).toMatchObject({ status: "pending" });
    expect(await taskRepository.findById(pool, fine!)).toMatchObject({ status: "assigned" });
    // Not the first of the next pass again; and its next attempt comes with a token that can win.
    expect((await taskRepository.dueForDispatch(pool, 100)).map((t) => t.taskId)).not.toContain(overtaken);
    expect(Number(await redis.get(keys.fencingCounter))).toBeGreaterThanOrEqual(newer);
    const announced = await outboxEventsOf([overtaken!, fine!]);
    expect(announced.map((e) => (e.payload as { taskId: string }).taskId)).toEqual([fine]);
  });

  it("refuses a write with a stale token: an assignment written under a newer token stands", async () => {
    const storeId = randomStore();
    const [older, newer] = [`${storeId}-older`, `${storeId}-newer`];
    await staffRepository.upsert(pool, [staffMember(storeId, older), staffMember(storeId, newer)]);
    const [taskId] = await request(storeId, [{ priority: 1 }]);
    const record = (staffId: string, fencingToken: number) =>
      withTransaction(pool, (tx) =>
        taskRepository.recordAssignment(tx, {
          taskId: taskId!,
          assignmentId: `${taskId}-${fencingToken}`,
          staffId,
          fencingToken,
          assignedAt: new Date(),
          acknowledgeBy: new Date(Date.now() + 60_000),
        }),
      );

    expect(await record(newer, 20)).toBe(true);
    expect(await record(older, 19)).toBe(false);
    expect(await record(older, 20)).toBe(false);
    expect(await taskRepository.findById(pool, taskId!)).toMatchObject({ assigneeStaffId: newer, fencingToken: 20 });
    expect(await taskRepository.assignmentsOf(pool, taskId!)).toEqual([
      expect.objectContaining({ assignmentId: `${taskId}-20`, staffId: newer, fencingToken: 20, outcome: "open" }),
    ]);

    // A later holder (a reassignment) does win, and the assignment it replaces is closed.
    expect(await record(older, 21)).toBe(true);
    expect((await taskRepository.assignmentsOf(pool, taskId!)).map((a) => [a.fencingToken, a.outcome])).toEqual([
      [20, "superseded"],
      [21, "open"],
    ]);
  });

  it("writes several tasks' assignments at once, each only where its token is the newest", async () => {
    const storeId = randomStore();
    const staffId = `${storeId}-a`;
    await staffRepository.upsert(pool, [staffMember(storeId, staffId)]);
    const [first, second, third] = await request(storeId, [{ priority: 1 }, { priority: 1 }, { priority: 1 }]);
    await pool.query("UPDATE tasks SET fencing_token = 50 WHERE task_id = $1", [second]);
    const record = (taskId: string, fencingToken: number) => ({
      taskId,
      assignmentId: `${taskId}-${fencingToken}`,
      staffId,
      fencingToken,
      assignedAt: new Date(),
      acknowledgeBy: new Date(Date.now() + 60_000),
    });

    const written = await withTransaction(pool, (tx) => taskRepository.recordAssignments(tx, [record(first!, 40), record(second!, 40), record(third!, 40)]));

    expect([...written].sort()).toEqual([first, third].sort());
    for (const taskId of [first!, third!]) {
      expect(await taskRepository.findById(pool, taskId)).toMatchObject({ status: "assigned", assigneeStaffId: staffId, fencingToken: 40 });
      expect((await taskRepository.assignmentsOf(pool, taskId)).map((a) => [a.assignmentId, a.outcome])).toEqual([[`${taskId}-40`, "open"]]);
    }
    expect(await taskRepository.findById(pool, second!)).toMatchObject({ status: "pending", fencingToken: 50 });
    expect(await taskRepository.assignmentsOf(pool, second!)).toEqual([]);
  });

  it("fences off a holder whose lock expired: it neither assigns nor releases the new holder's lock", async () => {
    const storeId = randomStore();
    await staffRepository.upsert(pool, [staffMember(storeId, `${storeId}-a`)]);
    const [taskId] = await request(storeId, [{ priority: 1 }]);
    const stale = await new AssignmentLocks(redis, keys, 50).acquire(taskId!);
    await new Promise((resolve) => setTimeout(resolve, 120));

    const fresh = await engine.locks.acquire(taskId!);
    expect(fresh!.token).toBeGreaterThan(stale!.token);
    expect(await engine.locks.release(stale!)).toBe(false);
    expect(await redis.get(keys.taskLock(taskId!))).toBe(String(fresh!.token));

    expect(await assignUnderLock(engine, fresh!)).toBe("assigned");
    expect(await assignUnderLock(engine, stale!)).toBe("not-pending");
    const staleWrite = await withTransaction(pool, (tx) =>
      taskRepository.recordAssignment(tx, {
        taskId: taskId!,
        assignmentId: `${taskId}-stale`,
        staffId: `${storeId}-a`,
        fencingToken: stale!.token,
        assignedAt: new Date(),
        acknowledgeBy: new Date(),
      }),
    );
    expect(staleWrite).toBe(false);
    expect(await taskRepository.findById(pool, taskId!)).toMatchObject({ status: "assigned", fencingToken: fresh!.token });
    expect(await engine.locks.release(fresh!)).toBe(true);
  });

  it("keeps new tokens above every token in Postgres when Redis lost its counter", async () => {
    const highest = await taskRepository.highestFencingToken(pool);
    expect(highest).toBeGreaterThan(0);
    await redis.del(keys.fencingCounter);
    await engine.locks.raiseTokensAbove(highest);
    const lock = await engine.locks.acquire("task-after-redis-loss");
    expect(lock!.token).toBe(highest + 1);
    await engine.locks.release(lock!);
  });
});

describe("acknowledgements written", () => {
  it("move a batch's tasks and assignments to acknowledged in one round trip", async () => {
    const storeId = randomStore();
    const staffId = `${storeId}-a`;
    await staffRepository.upsert(pool, [staffMember(storeId, staffId)]);
    const taskIds = (await request(storeId, [{ priority: 1 }, { priority: 1 }])) as string[];
    const at = new Date();
    const records = taskIds.map((taskId, i) => ({ taskId, assignmentId: `${taskId}-a`, staffId, fencingToken: 70 + i, assignedAt: at, acknowledgeBy: new Date(at.getTime() + 60_000) }));
    await withTransaction(pool, (tx) => taskRepository.recordAssignments(tx, records));

    await withTransaction(pool, async (tx) => {
      const before = statementsSentByThisProcess();
      await taskRepository.recordAcknowledgedMany(tx, records.map((r) => ({ taskId: r.taskId, assignmentId: r.assignmentId, at })));
      expect(statementsSentByThisProcess() - before).toBe(1);
    });
    for (const taskId of taskIds) {
      expect(await taskRepository.findById(pool, taskId)).toMatchObject({ status: "acknowledged", assigneeStaffId: staffId });
      expect((await taskRepository.assignmentsOf(pool, taskId)).map((a) => a.outcome)).toEqual(["acknowledged"]);
    }
  });
});

describe("deliveries grouped by route", () => {
  it("go to the rider already on the route while they have room, else as usual", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    const regions = ["Jing'an", "Pudong"];
    await staffRepository.upsert(pool, [staffMember(storeId, a, { regions, capacity: 3 }), staffMember(storeId, b, { regions, capacity: 2 })]);
    const deliver = async (region: string) => {
      const event = assignmentRequested(storeId, { region });
      await withTransaction(pool, (tx) => requestAssignments(tx, "dispatch", [event]));
      await assignPendingTasks(engine);
      return (await taskRepository.findById(pool, event.payload.taskId))!;
    };

    expect(await deliver("Jing'an")).toMatchObject({ assigneeStaffId: a, routeGroup: "route:Jing'an" });
    expect((await deliver("Pudong")).assigneeStaffId).toBe(b);
    // Equal loads would give it to a (by id); b rides the Pudong route and has room.
    expect((await deliver("Pudong")).assigneeStaffId).toBe(b);
    // b is full now: the normal choice.
    expect((await deliver("Pudong")).assigneeStaffId).toBe(a);
  });
});
