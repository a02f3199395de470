import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventTypes, Topics, decodeEvent, dispatchApi, newEvent, systemActor } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { ValidationError } from "@oms/errors";
import { createLogger, type Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { replanTasks, type ReplanDeps } from "./app/commands/replan-tasks.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { dispatchServiceWith } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// Fulfillment's re-plan of an open task (a corrected address, routing to another store), on
// real Postgres, Redis and Kafka: the task moves, and an assignee who cannot follow is withdrawn.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: ReturnType<typeof createClient<typeof dispatchApi.WorkloadQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  dispatch = await startService(dispatchServiceWith({ retryQueuedAfterMs: 500 }), testServiceConfig("dispatch", namespace));
  query = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", `127.0.0.1:${dispatch.grpc.port}`);
});

afterAll(async () => {
  query?.close();
  await dispatch?.stop();
  const redis = await connectRedis(testServiceConfig("dispatch", namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  await deleteAllKeys(redis, dispatchKeys(namespace.name));
  await redis.quit();
  await namespace?.drop();
});

const heldBy = (taskId: string, staffId: string) =>
  eventually(async () => {
    const view = await query.getTask({ taskId }).catch(() => undefined);
    return view?.status === "assigned" && view.staffId === staffId ? view : undefined;
  });

function replanOf(request: ReturnType<typeof assignmentRequested>, change: { region?: string; storeId?: string; dueFrom?: string; dueUntil?: string; reason: string }) {
  return newEvent(
    EventTypes.AssignmentReplanRequested,
    {
      taskId: request.payload.taskId,
      region: change.region ?? request.payload.region,
      dueFrom: change.dueFrom ?? "",
      dueUntil: change.dueUntil ?? "",
      reason: change.reason,
      correctionId: "",
      storeId: change.storeId ?? "",
    },
    { producer: "fulfillment", orderId: request.orderId, storeId: request.storeId, actor: systemActor("fulfillment") },
  );
}

async function withdrawalsOf(taskId: string) {
  await dispatch.relay.flush();
  return (await readTopic(Topics.dispatchAssignment, namespace.name))
    .map((m) => decodeEvent(m.value!))
    .filter((e) => e?.type === EventTypes.AssignmentWithdrawn && e.payload.taskId === taskId);
}

describe("re-planning a task", () => {
  it("gives a delivery whose address moved to a rider who serves the new district, once, however often the re-plan arrives", async () => {
    const storeId = randomStore();
    await upsertStaff(dispatch.runtime.pool, "dispatch", [
      staffMember(storeId, `${storeId}-jingan`, { regions: ["Jing'an"] }),
      staffMember(storeId, `${storeId}-xuhui`, { regions: ["Xuhui"] }),
    ]);
    const request = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await heldBy(request.payload.taskId, `${storeId}-jingan`);

    const replan = replanOf(request, { region: "Xuhui", reason: "corrected customer.address" });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [replan]);
    await heldBy(request.payload.taskId, `${storeId}-xuhui`);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [{ ...replan }]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await heldBy(request.payload.taskId, `${storeId}-xuhui`)).toMatchObject({ region: "Xuhui" });
    const withdrawn = await withdrawalsOf(request.payload.taskId);
    expect(withdrawn.map((e) => e!.payload)).toEqual([
      expect.objectContaining({ staffId: `${storeId}-jingan`, reason: `re-planned (corrected customer.address): ${storeId}-jingan does not serve Xuhui` }),
    ]);
  });

  it("moves a task to the staff of the store routing sent the order to", async () => {
    const [first, second] = [randomStore(), randomStore()];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(first, `${first}-rider`), staffMember(second, `${second}-rider`)]);
    const request = assignmentRequested(first);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await heldBy(request.payload.taskId, `${first}-rider`);

    await publishEvents(namespace.name, Topics.fulfillmentOrder, [replanOf(request, { storeId: second, reason: `routed to ${second}` })]);
    expect(await heldBy(request.payload.taskId, `${second}-rider`)).toMatchObject({ storeId: second });
  });

  it("keeps an assignee who can still do it", async () => {
    const storeId = randomStore();
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-both`, { regions: ["Jing'an", "Xuhui"] })]);
    const request = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const before = await heldBy(request.payload.taskId, `${storeId}-both`);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [replanOf(request, { region: "Xuhui", reason: "corrected customer.address" })]);
    const after = await eventually(async () => {
      const view = await query.getTask({ taskId: request.payload.taskId });
      return view.region === "Xuhui" ? view : undefined;
    });
    expect(after).toMatchObject({ status: "assigned", staffId: `${storeId}-both`, assignmentId: before.assignmentId });
    expect(await withdrawalsOf(request.payload.taskId)).toEqual([]);
  });
});

describe("a re-plan applied in the consumer's transaction", () => {
  const silent = () => ({ info: vi.fn(), warn: vi.fn() }) as unknown as Logger & { info: ReturnType<typeof vi.fn> };
  const replanDeps = (clock: () => Date): ReplanDeps => ({ outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, clock });
  async function assignedTask() {
    const storeId = randomStore();
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-jingan`, { regions: ["Jing'an"] })]);
    const request = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await heldBy(request.payload.taskId, `${storeId}-jingan`);
    return request;
  }

  it("refuses a time that is not ISO 8601, naming the field, before anything reaches Postgres", async () => {
    const request = await assignedTask();
    const bad = [
      replanOf(request, { dueFrom: "next tuesday", reason: "corrected time" }),
      replanOf(request, { dueFrom: "2030-01-02T10:00:00Z", dueUntil: "2030-01-02T09:00:00Z", reason: "corrected time" }),
    ];
    for (const [replan, fields] of [
      [bad[0]!, [{ field: "dueFrom", message: "is not an ISO 8601 time" }]],
      [bad[1]!, [{ field: "dueUntil", message: "is before dueFrom" }]],
    ] as const) {
      const refused = await withTransaction(dispatch.runtime.pool, (tx) => replanTasks(tx, replanDeps(() => new Date()), [replan], silent())).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).fields).toEqual(fields);
    }
    expect(await query.getTask({ taskId: request.payload.taskId })).toMatchObject({ status: "assigned" });
  });

  it("withdraws at the time of dispatch's clock, and says so only when it did", async () => {
    const request = await assignedTask();
    const taskId = request.payload.taskId;
    const pool = dispatch.runtime.pool;
    // A visit whose report is in stays with its assignee: the release does not apply.
    await pool.query("UPDATE tasks SET status = 'reported' WHERE task_id = $1", [taskId]);
    const reported = silent();
    await withTransaction(pool, (tx) => replanTasks(tx, replanDeps(() => new Date()), [replanOf(request, { region: "Xuhui", reason: "corrected customer.address" })], reported));
    expect(reported.info).toHaveBeenCalledWith(expect.objectContaining({ taskId, withdrawn: false }), "task re-planned");

    await pool.query("UPDATE tasks SET status = 'assigned', region = $2 WHERE task_id = $1", [taskId, "Jing'an"]);
    const clock = new Date(Math.floor(Date.now() / 1_000) * 1_000 - 3_600_000);
    const assigned = silent();
    await withTransaction(pool, (tx) => replanTasks(tx, replanDeps(() => clock), [replanOf(request, { region: "Xuhui", reason: "corrected customer.address" })], assigned));
    expect(assigned.info).toHaveBeenCalledWith(expect.objectContaining({ taskId, withdrawn: true }), "task re-planned");
    const [withdrawal] = (await query.getTask({ taskId })).assignments;
    expect(withdrawal).toMatchObject({ outcome: "withdrawn", outcomeAt: clock.toISOString() });
  });
});
