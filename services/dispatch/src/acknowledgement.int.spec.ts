import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, dispatchApi } from "@oms/contracts";
import { ForbiddenError, IllegalStateError } from "@oms/errors";
import { createClient } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, testServiceConfig, type TestNamespace } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { dispatchServiceWith } from "./service.ts";
import { randomStore, staffMember } from "./testing/fixtures.ts";
import { requestTask as requestTaskAt, taskHeldBy as taskAssignedTo, taskEventsOf } from "./testing/dispatch-under-test.ts";

// Acknowledgement deadlines, declines and misses, through gRPC and the topic, on real
// Postgres, Redis and Kafka; the deadline is a durable timer, so it survives a restart.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: ReturnType<typeof createClient<typeof dispatchApi.WorkloadQueryService>>;
let commands: ReturnType<typeof createClient<typeof dispatchApi.DispatchCommandsService>>;

async function start() {
  dispatch = await startService(dispatchServiceWith({ retryQueuedAfterMs: 500 }), testServiceConfig("dispatch", namespace));
  const address = `127.0.0.1:${dispatch.grpc.port}`;
  query = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", address);
  commands = createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", address);
}

async function stop() {
  query?.close();
  commands?.close();
  await dispatch?.stop();
}

beforeAll(async () => {
  namespace = await createTestNamespace();
  await start();
});

afterAll(async () => {
  await stop();
  const redis = await connectRedis(testServiceConfig("dispatch", namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  await deleteAllKeys(redis, dispatchKeys(namespace.name));
  await redis.quit();
  await namespace?.drop();
});

const staff = (id: string) => ({ kind: "staff", id, role: "rider" });

async function storeWithTwoRiders(acknowledgeWithinSeconds: number) {
  const storeId = randomStore();
  const manager = `${storeId}-manager`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, `${storeId}-a`),
    staffMember(storeId, `${storeId}-b`),
    // Manages the store and takes no deliveries.
    staffMember(storeId, manager, { roles: ["store-manager"], skills: [] }),
  ]);
  await commands.setStoreSettings({ storeId, acknowledgeWithinSeconds, preferredStaffId: "" });
  return { storeId, a: `${storeId}-a`, b: `${storeId}-b`, manager };
}

const requestTask = (storeId: string) => requestTaskAt({ namespace }, storeId);

const taskHeldBy = (taskId: string, staffId: string) => taskAssignedTo({ query }, taskId, staffId);

const eventsOf = (taskId: string) => taskEventsOf({ namespace, dispatch }, taskId);

describe("acknowledgement", () => {
  it("is the assignee's alone; it stops the deadline and is announced", async () => {
    const { storeId, a, b } = await storeWithTwoRiders(2);
    const taskId = await requestTask(storeId);
    const assigned = await taskHeldBy(taskId, a);
    expect(new Date(assigned.acknowledgeBy).getTime() - new Date(assigned.assignments[0]!.assignedAt).getTime()).toBe(2_000);

    await expect(commands.acknowledgeTask({ taskId, caller: staff(b), correlationId: "" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(commands.acknowledgeTask({ taskId, caller: { kind: "customer", id: a, role: "" }, correlationId: "" })).rejects.toBeInstanceOf(ForbiddenError);
    const acknowledged = await commands.acknowledgeTask({ taskId, caller: staff(a), correlationId: "" });
    expect(acknowledged).toMatchObject({ status: "acknowledged", staffId: a });
    // Twice is once.
    expect((await commands.acknowledgeTask({ taskId, caller: staff(a), correlationId: "" })).status).toBe("acknowledged");
    await expect(commands.declineTask({ taskId, caller: staff(a), reason: "changed my mind", correlationId: "" })).rejects.toBeInstanceOf(IllegalStateError);

    // The deadline passes: nothing happens to an acknowledged assignment.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const view = await query.getTask({ taskId });
    expect(view).toMatchObject({ status: "acknowledged", staffId: a });
    expect(view.assignments.map((h) => [h.staffId, h.outcome])).toEqual([[a, "acknowledged"]]);
    const events = await eventsOf(taskId);
    expect(events.map((e) => e.type)).toEqual([EventTypes.TaskAssigned, EventTypes.AssignmentAcknowledged]);
    expect(events[1]).toMatchObject({ actor: { kind: "staff", id: a }, payload: { taskId, staffId: a, assignmentId: assigned.assignmentId } });
  });

  it("declined with a reason, goes to someone else, and the decline is recorded", async () => {
    const { storeId, a, b } = await storeWithTwoRiders(600);
    const taskId = await requestTask(storeId);
    const first = await taskHeldBy(taskId, a);
    await expect(commands.declineTask({ taskId, caller: staff(b), reason: "not mine", correlationId: "" })).rejects.toBeInstanceOf(ForbiddenError);
    await commands.declineTask({ taskId, caller: staff(a), reason: "van broke down", correlationId: "" });

    const second = await taskHeldBy(taskId, b);
    expect(second.fencingToken).toBeGreaterThan(first.fencingToken);
    expect(second.excludedStaffIds).toEqual([a]);
    expect(second.assignments.map((h) => [h.staffId, h.outcome, h.outcomeReason])).toEqual([
      [a, "declined", "van broke down"],
      [b, "open", ""],
    ]);
    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.length >= 3 ? found : undefined;
    });
    expect(events.map((e) => [e.type, (e.payload as { staffId: string }).staffId])).toEqual([
      [EventTypes.TaskAssigned, a],
      [EventTypes.AssignmentDeclined, a],
      [EventTypes.TaskAssigned, b],
    ]);
    expect(events[1]!.payload).toMatchObject({ reason: "van broke down", assignmentId: first.assignmentId });
  });

  it("missed, across a restart of dispatch, goes to someone else, and the miss is recorded and listed as overdue", async () => {
    const { storeId, a, b, manager } = await storeWithTwoRiders(3);
    const taskId = await requestTask(storeId);
    const first = await taskHeldBy(taskId, a);
    // Dispatch goes down before the deadline and comes back after it: the timer is in Postgres.
    await stop();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(first.acknowledgeBy).getTime() - Date.now()) + 500));
    await start();

    const second = await taskHeldBy(taskId, b);
    expect(second.assignments.map((h) => [h.staffId, h.outcome])).toEqual([
      [a, "missed"],
      [b, "open"],
    ]);
    const events = await eventually(async () => {
      const found = await eventsOf(taskId);
      return found.length >= 3 ? found : undefined;
    });
    expect(events.map((e) => e.type)).toEqual([EventTypes.TaskAssigned, EventTypes.AssignmentExpired, EventTypes.StepOverdue, EventTypes.TaskAssigned]);
    expect(events[1]!.payload).toMatchObject({ staffId: a, assignmentId: first.assignmentId, acknowledgeBy: first.acknowledgeBy });
    // The miss is also an overdue acknowledgement step, listed until someone acknowledges.
    expect(events[2]!.payload).toEqual({ taskId, step: "acknowledgement", staffId: a, level: 1, dueAt: first.acknowledgeBy, escalatedTo: [] });
    expect((await query.listOverdueSteps({ storeId })).steps).toEqual([
      expect.objectContaining({ taskId, step: "acknowledgement", staffId: a, level: 1, dueAt: first.acknowledgeBy }),
    ]);

    // Nobody else left who has not missed it: the second miss queues the task instead of offering it again,
    // and escalates the overdue acknowledgement to the store's managers.
    await eventually(async () => {
      const view = await query.getTask({ taskId });
      return view.status === "pending" && view.excludedStaffIds.length === 2 ? view : undefined;
    }, 10_000);
    const escalated = await eventually(async () => {
      const found = (await eventsOf(taskId)).filter((e) => e.type === EventTypes.StepOverdue);
      return found.length === 2 ? found[1] : undefined;
    });
    expect(escalated.payload).toMatchObject({ step: "acknowledgement", staffId: b, level: 2, escalatedTo: [manager] });
    expect((await query.listOverdueSteps({ storeId })).steps).toEqual([expect.objectContaining({ step: "acknowledgement", staffId: b, level: 2 })]);
  });

  it("overdue through a miss, leaves the overdue list once the next assignee acknowledges", async () => {
    const { storeId, a, b } = await storeWithTwoRiders(2);
    const taskId = await requestTask(storeId);
    await taskHeldBy(taskId, a);
    await eventually(async () => ((await query.listOverdueSteps({ storeId })).steps.length === 1 ? true : undefined), 10_000);
    await taskHeldBy(taskId, b);
    await commands.acknowledgeTask({ taskId, caller: staff(b), correlationId: "" });
    expect((await query.listOverdueSteps({ storeId })).steps).toEqual([]);
  });
});
