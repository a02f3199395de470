import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, dispatchApi, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
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

function replanOf(request: ReturnType<typeof assignmentRequested>, change: { region?: string; storeId?: string; reason: string }): OrderEvent {
  return newEvent(
    EventTypes.AssignmentReplanRequested,
    { taskId: request.payload.taskId, region: change.region ?? request.payload.region, dueFrom: "", dueUntil: "", reason: change.reason, correctionId: "", storeId: change.storeId ?? "" },
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
