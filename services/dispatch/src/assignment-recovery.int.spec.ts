import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { Topics } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { eventually, publishEvents, testServiceConfig } from "@oms/testing";
import { deleteAllKeys, dispatchKeys, type DispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { requestTask, startDispatchUnderTest, stopDispatchUnderTest, taskHeldBy, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// The assignment worker of a running dispatch when Redis is not what it expects: Redis
// lost its data while dispatch runs, and another replica holds the locks of every task
// in the batch. Each test starts its own service, with the knobs it needs.
let under: DispatchUnderTest | undefined;
let redis: Redis | undefined;

afterEach(async () => {
  await redis?.quit();
  redis = undefined;
  await stopDispatchUnderTest(under);
  under = undefined;
});

async function start(options: Parameters<typeof startDispatchUnderTest>[0]): Promise<{ under: DispatchUnderTest; redis: Redis; keys: DispatchKeys }> {
  under = await startDispatchUnderTest(options);
  redis = await connectRedis(testServiceConfig("dispatch", under.namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  return { under, redis, keys: dispatchKeys(under.namespace.name) };
}

const rider = (id: string) => ({ kind: "staff", id, role: "rider" });

describe("Redis losing its data while dispatch runs", () => {
  it("does not keep a released task from being assigned again: tokens climb back above what Postgres holds", async () => {
    const { under, redis, keys } = await start({ retryFailedAfterMs: 200 });
    // A long-running system: the counter (and so the task's stored token) is far above a fresh one.
    await redis.set(keys.fencingCounter, "1000000");
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await upsertStaff(under.dispatch.runtime.pool, "dispatch", [staffMember(storeId, a), staffMember(storeId, b)]);
    const taskId = await requestTask(under, storeId);
    const first = await taskHeldBy(under, taskId, a);
    expect(first.fencingToken).toBeGreaterThan(1_000_000);

    await deleteAllKeys(redis, keys);
    await under.commands.declineTask({ taskId, caller: rider(a), reason: "van broke down", correlationId: "" });

    const second = await eventually(async () => {
      const view = await under.query.getTask({ taskId });
      return view.status === "assigned" && view.staffId === b ? view : undefined;
    }, 10_000);
    expect(second.fencingToken).toBeGreaterThan(first.fencingToken);
    expect(second.assignments.map((h) => [h.staffId, h.outcome])).toEqual([
      [a, "declined"],
      [b, "open"],
    ]);
  });
});

describe("a full batch whose tasks another replica holds", () => {
  it("waits for the next poll instead of reading the same tasks again at once", async () => {
    const { under, redis, keys } = await start({ batchSize: 1, pollIntervalMs: 60_000 });
    const storeId = randomStore();
    await upsertStaff(under.dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-a`)]);
    const request = assignmentRequested(storeId);
    // The other replica's lock, taken before the task is even recorded, held throughout.
    await redis.set(keys.taskLock(request.payload.taskId), "1", "PX", 60_000);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);

    // Every pass takes a fresh token for each task it tries: the counter counts the passes.
    const passes = async () => Number((await redis.get(keys.fencingCounter)) ?? 0);
    await eventually(async () => ((await passes()) > 0 ? true : undefined));
    const before = await passes();
    await sleep(1_000);
    expect((await passes()) - before).toBeLessThanOrEqual(2);
    expect(await under.query.getTask({ taskId: request.payload.taskId })).toMatchObject({ status: "pending" });
  });
});
