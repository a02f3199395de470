import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, deadLetterTopicOf, decodeEvent, dispatchApi, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import { DeadLetterHeaders } from "@oms/messaging";
import { createClient } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import type { Redis } from "ioredis";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { dispatchServiceWith } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import type { Staff } from "./domain/staff.ts";

let namespace: TestNamespace;
let dispatch: RunningService;
let redis: Redis;
let client: ReturnType<typeof createClient<typeof dispatchApi.WorkloadQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const config = testServiceConfig("dispatch", namespace);
  // Queued tasks are retried only when staff changes here, so a retry cannot race the hiring below.
  dispatch = await startService(dispatchServiceWith({ retryQueuedAfterMs: 60_000 }), config);
  redis = await connectRedis(config.redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  client = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", `127.0.0.1:${dispatch.grpc.port}`);
});

afterAll(async () => {
  client?.close();
  await dispatch?.stop();
  if (redis) {
    await deleteAllKeys(redis, dispatchKeys(namespace.name));
    await redis.quit();
  }
  await namespace?.drop();
});

const hire = (staff: Staff[]) => upsertStaff(dispatch.runtime.pool, "dispatch", staff);

async function dispatchEventsOf(taskIds: string[]): Promise<OrderEvent[]> {
  const events = (await readTopic(Topics.dispatchAssignment, namespace.name)).map((m) => decodeEvent(m.value!));
  return events.filter((e): e is OrderEvent => !!e && "taskId" in e.payload && taskIds.includes(e.payload.taskId));
}

const assignedTask = (taskId: string) =>
  eventually(async () => {
    const view = await client.getTask({ taskId }).catch(() => undefined);
    return view?.status === "assigned" ? view : undefined;
  });

describe("dispatch", () => {
  it("assigns a requested delivery to an eligible rider, announces it in the request's chain and counts it", async () => {
    const storeId = randomStore();
    await hire([
      staffMember(storeId, "rider-a", { capacity: 2 }),
      staffMember(storeId, "rider-elsewhere", { regions: ["Pudong"] }),
      staffMember(storeId, "installer", { skills: [{ skill: "installation", level: 3 }] }),
    ]);
    const request = assignmentRequested(storeId, { dueFrom: "2026-11-25T02:00:00Z", dueUntil: "2026-11-25T04:00:00Z" });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);

    const view = await assignedTask(request.payload.taskId);
    expect(view).toMatchObject({ orderId: request.orderId, storeId, staffId: "rider-a" });
    expect(view.fencingToken).toBeGreaterThan(0);

    const [assigned] = await eventually(async () => {
      const events = await dispatchEventsOf([request.payload.taskId]);
      return events.length > 0 ? events : undefined;
    });
    expect(assigned).toMatchObject({
      type: EventTypes.TaskAssigned,
      producer: "dispatch",
      orderId: request.orderId,
      storeId,
      correlationId: request.correlationId,
      causationId: request.eventId,
      payload: { taskId: request.payload.taskId, staffId: "rider-a", fencingToken: view.fencingToken },
    });
    const payload = assigned!.payload as { acknowledgeBy: string };
    expect(new Date(payload.acknowledgeBy).getTime() - assigned!.occurredAt.getTime()).toBe(30 * 60_000);

    const workload = await client.getWorkload({ storeId });
    expect(workload.staff).toEqual([
      { staffId: "installer", name: "Person installer", activeTasks: 0, capacity: 3 },
      { staffId: "rider-a", name: "Person rider-a", activeTasks: 1, capacity: 2 },
      { staffId: "rider-elsewhere", name: "Person rider-elsewhere", activeTasks: 0, capacity: 3 },
    ]);
  });

  it("applies a redelivered request once", async () => {
    const storeId = randomStore();
    await hire([staffMember(storeId, "rider")]);
    const request = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request, request]);
    await assignedTask(request.payload.taskId);
    await dispatch.relay.flush();
    expect((await dispatchEventsOf([request.payload.taskId])).map((e) => e.type)).toEqual([EventTypes.TaskAssigned]);
    expect((await client.getWorkload({ storeId })).staff[0]?.activeTasks).toBe(1);
  });

  it("queues what nobody can take, says so once, and serves the highest priority first when someone comes", async () => {
    const storeId = randomStore();
    const orderId = randomUUID();
    const low = assignmentRequested(storeId, { priority: 1 }, orderId);
    const high = assignmentRequested(storeId, { priority: 5 }, orderId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [low, high]);
    const taskIds = [low.payload.taskId, high.payload.taskId];

    const queued = await eventually(async () => {
      const events = await dispatchEventsOf(taskIds);
      return events.length === 2 ? events : undefined;
    });
    expect(queued.map((e) => [e.type, e.payload])).toEqual(
      expect.arrayContaining([
        [EventTypes.TaskQueued, { taskId: low.payload.taskId, reason: `no active staff in store ${storeId}` }],
        [EventTypes.TaskQueued, { taskId: high.payload.taskId, reason: `no active staff in store ${storeId}` }],
      ]),
    );
    // Hiring retries both at once; the one left over is not announced again.
    await hire([staffMember(storeId, "only-rider", { capacity: 1 })]);
    expect(await assignedTask(high.payload.taskId)).toMatchObject({ staffId: "only-rider" });
    await dispatch.relay.flush();
    expect(await client.getTask({ taskId: low.payload.taskId })).toMatchObject({ status: "pending", staffId: "" });
    const types = (await dispatchEventsOf(taskIds)).map((e) => `${e.type}:${(e.payload as { taskId: string }).taskId}`);
    expect(types.sort()).toEqual(
      [`${EventTypes.TaskAssigned}:${high.payload.taskId}`, `${EventTypes.TaskQueued}:${high.payload.taskId}`, `${EventTypes.TaskQueued}:${low.payload.taskId}`].sort(),
    );
  });

  it("closes tasks with their orders: a delivery frees its rider for the queued task, a cancellation calls tasks off", async () => {
    const storeId = randomStore();
    const rider = `${storeId}-rider`;
    await hire([staffMember(storeId, rider, { capacity: 1 })]);
    const first = assignmentRequested(storeId);
    const second = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [first]);
    await assignedTask(first.payload.taskId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [second]);
    await eventually(async () => ((await dispatchEventsOf([second.payload.taskId])).length > 0 ? true : undefined));
    expect(await client.getTask({ taskId: second.payload.taskId })).toMatchObject({ status: "pending" });

    const byFulfillment = (orderId: string) => ({ producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") });
    const delivered = newEvent(
      EventTypes.DeliveryRecorded,
      { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: rider, proofKind: "signature", proofRef: "sig-1", collectedMinor: 0 , reservationId: "", taskId: "" },
      byFulfillment(first.orderId),
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [delivered]);
    expect(await assignedTask(second.payload.taskId)).toMatchObject({ staffId: rider });
    expect(await client.getTask({ taskId: first.payload.taskId })).toMatchObject({ status: "done", staffId: rider });

    const unassignable = assignmentRequested(storeId, { region: "Nowhere" });
    const cancellations = [second.orderId, unassignable.orderId].map((orderId) =>
      newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue: false }, byFulfillment(orderId)),
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [unassignable]);
    await eventually(async () => ((await dispatchEventsOf([unassignable.payload.taskId])).length > 0 ? true : undefined));
    await publishEvents(namespace.name, Topics.fulfillmentOrder, cancellations);
    await eventually(async () => ((await client.getTask({ taskId: unassignable.payload.taskId })).status === "cancelled" ? true : undefined));
    expect(await client.getTask({ taskId: second.payload.taskId })).toMatchObject({ status: "cancelled" });
    await eventually(async () => ((await client.getWorkload({ storeId })).staff[0]?.activeTasks === 0 ? true : undefined));
  });

  it("keeps one task per part of a split order, each at its own store, and closes only the part that was delivered", async () => {
    const [jingan, pudong] = [randomStore(), randomStore()];
    await hire([staffMember(jingan, `${jingan}-rider`), staffMember(pudong, `${pudong}-rider`)]);
    const orderId = randomUUID();
    const partOne = assignmentRequested(jingan, { taskId: `${orderId}/task/part-1` }, orderId);
    const partTwo = assignmentRequested(pudong, { taskId: `${orderId}/task/part-2` }, orderId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [partOne, partTwo]);
    expect(await assignedTask(partOne.payload.taskId)).toMatchObject({ storeId: jingan, staffId: `${jingan}-rider` });
    expect(await assignedTask(partTwo.payload.taskId)).toMatchObject({ storeId: pudong, staffId: `${pudong}-rider` });

    const partDelivered = newEvent(
      EventTypes.DeliveryRecorded,
      { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: `${jingan}-rider`, proofKind: "signature", proofRef: "sig-1", collectedMinor: 0, reservationId: `${orderId}/reservation/1/part/1`, taskId: partOne.payload.taskId },
      { producer: "fulfillment", orderId, storeId: jingan, actor: systemActor("fulfillment") },
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [partDelivered]);
    await eventually(async () => ((await client.getTask({ taskId: partOne.payload.taskId })).status === "done" ? true : undefined));
    expect(await client.getTask({ taskId: partTwo.payload.taskId })).toMatchObject({ status: "assigned", staffId: `${pudong}-rider` });
  });

  it("dead-letters an invalid request and still assigns the valid ones of its batch", async () => {
    const storeId = randomStore();
    await hire([staffMember(storeId, `${storeId}-rider`)]);
    const invalid = assignmentRequested(storeId, { taskKind: "teleport", dueFrom: "tomorrow-ish" });
    const valid = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [invalid, valid]);
    expect(await assignedTask(valid.payload.taskId)).toMatchObject({ staffId: `${storeId}-rider` });
    const letters = await eventually(async () => {
      const messages = await readTopic(deadLetterTopicOf(Topics.fulfillmentOrder), namespace.name);
      const ours = messages.filter((m) => decodeEvent(m.value!)?.eventId === invalid.eventId);
      return ours.length > 0 ? ours : undefined;
    });
    expect(String(letters[0]!.headers![DeadLetterHeaders.error])).toMatch(/taskKind must be one of.*dueFrom is not an ISO 8601 time/);
    await expect(client.getTask({ taskId: invalid.payload.taskId })).rejects.toMatchObject({ kind: "not-found" });
  });

  it("answers with domain errors for unknown tasks and missing fields", async () => {
    await expect(client.getTask({ taskId: "task-unknown" })).rejects.toMatchObject({ kind: "not-found" });
    await expect(client.getWorkload({ storeId: "" })).rejects.toMatchObject({ kind: "validation" });
    expect(await client.getWorkload({ storeId: randomStore() })).toEqual({ staff: [] });
  });

  it("rebuilds workload counters that Redis lost from Postgres", async () => {
    const storeId = randomStore();
    await hire([staffMember(storeId, `${storeId}-rider`)]);
    const request = assignmentRequested(storeId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await assignedTask(request.payload.taskId);
    await redis.del(dispatchKeys(namespace.name).workloadOfStore(storeId));
    expect((await client.getWorkload({ storeId })).staff[0]?.activeTasks).toBe(1);
    expect(await redis.hget(dispatchKeys(namespace.name).workloadOfStore(storeId), `${storeId}-rider`)).toBe("1");
  });

  it("refuses invalid staff with the fields at fault", async () => {
    const storeId = randomStore();
    await expect(
      hire([staffMember(storeId, "bad", { capacity: -1, shift: { start: "25:00", end: "18:00", days: [0] }, timezone: "Mars/Olympus" })]),
    ).rejects.toMatchObject({
      kind: "validation",
      fields: [
        { field: "staff[0].capacity", message: expect.any(String) },
        { field: "staff[0].shift.start", message: expect.any(String) },
        { field: "staff[0].shift.days", message: expect.any(String) },
        { field: "staff[0].timezone", message: expect.any(String) },
      ],
    });
  });
});
