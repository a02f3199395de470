import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, dispatchApi, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { dispatchService } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// Two dispatch instances on one database, one Redis and one consumer group: what
// running replicas looks like. The second one also seeds the demo chain's staff.
let namespace: TestNamespace;
let instances: RunningService[] = [];
let clients: ReturnType<typeof createClient<typeof dispatchApi.WorkloadQueryService>>[] = [];

beforeAll(async () => {
  namespace = await createTestNamespace();
  instances = await Promise.all([
    startService(dispatchService, testServiceConfig("dispatch", namespace)),
    startService(dispatchService, testServiceConfig("dispatch", namespace, { OMS_SEED_DEMO: "true" })),
  ]);
  clients = instances.map((i) => createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", `127.0.0.1:${i.grpc.port}`));
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all(instances.map((i) => i.stop()));
  const redis = await connectRedis(testServiceConfig("dispatch", namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  await deleteAllKeys(redis, dispatchKeys(namespace.name));
  await redis.quit();
  await namespace?.drop();
});

describe("dispatch replicas", () => {
  it("seed the demo chain's staff", async () => {
    // The first call also opens the channel; on a loaded machine that can outlast one deadline.
    const workload = await eventually(() => clients[0]!.getWorkload({ storeId: "store-sh-jingan" }, { deadlineMs: 15_000 }));
    expect(workload.staff.map((s) => [s.staffId, s.capacity])).toEqual([
      ["staff-li-wei", 6],
      ["staff-sun-li", 8],
      ["staff-wang-fang", 4],
      ["staff-zhang-min", 2],
    ]);
  });

  it("give 30 tasks published at once exactly one assignee each, announce each once, and keep everyone within capacity", async () => {
    const storeId = randomStore();
    const capacity = 8;
    const staffIds = ["a", "b", "c", "d"].map((s) => `${storeId}-${s}`);
    await upsertStaff(instances[0]!.runtime.pool, "dispatch", staffIds.map((id) => staffMember(storeId, id, { capacity })));
    const requests = Array.from({ length: 30 }, (_, i) => assignmentRequested(storeId, { priority: i % 3 }, randomUUID()));
    const taskIds = requests.map((r) => r.payload.taskId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, requests);

    const pool = instances[0]!.runtime.pool;
    await eventually(async () => {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE task_id = ANY($1) AND status = 'assigned'", [taskIds]);
      return rows[0]!.n === 30 ? true : undefined;
    });

    const { rows: history } = await pool.query<{ task_id: string; staff_id: string; outcome: string }>(
      "SELECT task_id, staff_id, outcome FROM assignments WHERE task_id = ANY($1)",
      [taskIds],
    );
    expect(history).toHaveLength(30);
    expect(new Set(history.map((h) => h.task_id)).size).toBe(30);
    expect(history.every((h) => h.outcome === "open")).toBe(true);

    const perStaff = new Map<string, number>();
    for (const h of history) perStaff.set(h.staff_id, (perStaff.get(h.staff_id) ?? 0) + 1);
    expect([...perStaff.values()].every((n) => n <= capacity)).toBe(true);
    // All on one route: grouped, each rider on it takes the route's deliveries until full, whatever the interleaving: 8, 8, 8, 6.
    expect([...perStaff.values()].sort()).toEqual([6, 8, 8, 8]);

    await Promise.all(instances.map((i) => i.relay.flush()));
    const announced = await eventually(async () => {
      const events = (await readTopic(Topics.dispatchAssignment, namespace.name))
        .map((m) => decodeEvent(m.value!))
        .filter((e): e is OrderEvent => !!e && "taskId" in e.payload && taskIds.includes(e.payload.taskId));
      return events.length >= 30 ? events : undefined;
    });
    expect(announced.every((e) => e.type === EventTypes.TaskAssigned)).toBe(true);
    expect(new Set(announced.map((e) => (e.payload as { taskId: string }).taskId)).size).toBe(30);
    expect(announced).toHaveLength(30);

    // Each replica answers the workload the way Postgres has it.
    for (const client of clients) {
      const workload = await client.getWorkload({ storeId });
      expect(new Map(workload.staff.map((s) => [s.staffId, s.activeTasks]))).toEqual(perStaff);
    }
  });
});
