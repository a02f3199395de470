import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { eventually, publishEvents, type TestNamespace, callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { assignmentRequested, randomStore } from "../../../../dispatch/src/testing/fixtures.ts";
import { expectProblem, httpClient } from "../../test-fixtures.ts";
import { startIntakeWithDispatch, type IntakeWithDispatch } from "./intake-with-dispatch.ts";

// The worklists through intake's REST API, asked of a real dispatch over gRPC: a person's
// own tasks and the desk's views (anyone's tasks, a store's queue, workload, overdue steps),
// KPIs; the gateway's roles and field errors, and dispatch's own refusals, as problem details.
let under: IntakeWithDispatch;
let namespace: TestNamespace;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  under = await startIntakeWithDispatch();
  ({ namespace, api } = under);
});

afterAll(() => under?.stop());

const as = (staffId: string, role: string) => (callerHeaders(`staff:${staffId}:${role}`));
const manager = as("m-1", "store-manager");
const desk = as("d-1", "dispatcher");
const allWeek = { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] };

/** A store with one rider who holds one delivery, and a second rider who holds none. */
async function storeWithOneAssignedDelivery() {
  const storeId = randomStore();
  const [rider, other] = [`${storeId}-rider`, `${storeId}-other`];
  for (const [staffId, capacity] of [[rider, 3], [other, 0]] as const) {
    const member = { storeId, name: staffId, roles: ["rider"], skills: [{ skill: "delivery", level: 2 }], regions: ["Jing'an"], capacity, shift: allWeek, timezone: "Asia/Shanghai" };
    expect((await api.put(`/v1/staff/${staffId}`, member, manager)).status).toBe(200);
  }
  const request = assignmentRequested(storeId);
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const taskId = request.payload.taskId;
  await eventually(async () => {
    const answer = await api.get(`/v1/stores/${storeId}/tasks?status=assigned`, desk);
    return answer.body.tasks?.length === 1 ? true : undefined;
  });
  return { storeId, rider, other, taskId, orderId: request.orderId };
}

describe("intake: worklists, asked of dispatch", () => {
  it("show a task to its assignee and the desk of its store only: anyone else is answered as for a task nobody created (ADR 022, twenty-eighth session)", async () => {
    const { storeId, rider, other, taskId } = await storeWithOneAssignedDelivery();
    const path = `/v1/tasks/${encodeURIComponent(taskId)}`;
    const unknownId = `${taskId}-nobody`;
    const unknown = await api.get(`/v1/tasks/${encodeURIComponent(unknownId)}`, desk);
    expectProblem(unknown, 404, "dispatch.task-not-found");
    const sameAsUnknown = { status: 404, body: { ...unknown.body, detail: (unknown.body.detail as string).replace(unknownId, taskId) } };
    for (const caller of [as(other, "rider"), callerHeaders(`staff:${other}:rider@${storeId}`), as("wc-1", "warehouse-clerk")]) {
      const answer = await api.get(path, caller);
      expect({ status: answer.status, body: { ...answer.body, instance: undefined } }).toEqual({ ...sameAsUnknown, body: { ...sameAsUnknown.body, instance: undefined } });
    }
    // The desk, and the assignee, held to another store: the store scope said whose it was (403 caller.out-of-store-scope).
    for (const caller of [callerHeaders(`staff:d-9:dispatcher@${storeId}-elsewhere`), callerHeaders(`staff:${rider}:rider@${storeId}-elsewhere`)]) {
      const answer = await api.get(path, caller);
      expect({ status: answer.status, body: { ...answer.body, instance: undefined } }).toEqual({ ...sameAsUnknown, body: { ...sameAsUnknown.body, instance: undefined } });
    }
    for (const reader of [as(rider, "rider"), callerHeaders(`staff:${rider}:rider@${storeId}`), desk, manager, as("cs-1", "customer-service"), callerHeaders(`staff:d-2:dispatcher@${storeId}`)]) {
      expect(await api.get(path, reader)).toMatchObject({ status: 200, body: { taskId, staffId: rider } });
    }
  });

  it("show a rider their own tasks, and anyone's to the desk; another rider is refused", async () => {
    const { storeId, rider, other, taskId, orderId } = await storeWithOneAssignedDelivery();
    const own = await api.get(`/v1/staff/${rider}/tasks`, as(rider, "rider"));
    expect(own).toMatchObject({ status: 200, body: { tasks: [{ taskId, orderId, storeId, kind: "delivery", status: "assigned", staffId: rider, region: "Jing'an", appointmentFrom: "" }] } });
    expect(own.body.tasks[0].acknowledgeBy).not.toBe("");
    expect(await api.get(`/v1/staff/${rider}/tasks?status=assigned,acknowledged&limit=10`, as("sup-1", "supervisor"))).toMatchObject({ status: 200, body: { tasks: [{ taskId }] } });
    expect(await api.get(`/v1/staff/${rider}/tasks?status=done`, desk)).toMatchObject({ status: 200, body: { tasks: [] } });
    expect(await api.get(`/v1/staff/${other}/tasks`, as(other, "rider"))).toMatchObject({ status: 200, body: { tasks: [] } });

    expectProblem(await api.get(`/v1/staff/${rider}/tasks`, as(other, "rider")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/staff/${rider}/tasks`, callerHeaders(`customer:${rider}`)), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/staff/${rider}/tasks`, as("ot-1", "order-taker")), 403, "caller.not-permitted");

    const wrong = await api.get(`/v1/staff/${rider}/tasks?status=assigned,lost&limit=0&sort=asc`, as(rider, "rider"));
    expectProblem(wrong, 400);
    expect(wrong.body.errors).toEqual([
      { field: "status[1]", message: "must be one of pending, assigned, acknowledged, in-progress, reported, done, cancelled" },
      { field: "limit", message: "must be at least 1" },
      { field: "sort", message: "is not a known field" },
    ]);
    expectProblem(await api.get("/v1/staff/nobody-at-all/tasks", desk), 404, "dispatch.staff-not-found");
  });

  it("show the desk a store's queue, workload and overdue steps; other roles are refused", async () => {
    const { storeId, rider, other, taskId } = await storeWithOneAssignedDelivery();
    expect(await api.get(`/v1/stores/${storeId}/tasks`, manager)).toMatchObject({ status: 200, body: { tasks: [{ taskId, status: "assigned", staffId: rider }] } });
    expect(await api.get(`/v1/stores/${storeId}/tasks?status=pending,done&limit=500`, desk)).toMatchObject({ status: 200, body: { tasks: [] } });
    // Dispatch knows stores only by their tasks: one without any has an empty queue.
    expect(await api.get(`/v1/stores/${randomStore()}/tasks`, desk)).toMatchObject({ status: 200, body: { tasks: [] } });
    expect((await api.get(`/v1/stores/${storeId}/tasks?limit=501`, desk)).body.errors).toEqual([{ field: "limit", message: "must be at most 500" }]);
    expectProblem(await api.get(`/v1/stores/${storeId}/tasks`, as(rider, "rider")), 403, "caller.not-permitted");

    const workload = await api.get(`/v1/stores/${storeId}/workload`, as("sup-1", "supervisor"));
    expect(workload.status).toBe(200);
    expect(workload.body.staff).toEqual(
      expect.arrayContaining([
        { staffId: rider, name: rider, activeTasks: 1, capacity: 3 },
        { staffId: other, name: other, activeTasks: 0, capacity: 0 },
      ]),
    );
    expectProblem(await api.get(`/v1/stores/${storeId}/workload`, as("au-1", "auditor")), 403, "caller.not-permitted");

    expect(await api.get(`/v1/stores/${storeId}/overdue-steps`, desk)).toMatchObject({ status: 200, body: { steps: [] } });
    expectProblem(await api.get(`/v1/stores/${storeId}/overdue-steps`, as("ot-1", "order-taker")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/stores/${"s".repeat(65)}/overdue-steps`, desk), 400);
  });

  it("show KPIs to the store manager, a supervisor and an auditor, refusing bad scopes and periods field by field", async () => {
    const { storeId } = await storeWithOneAssignedDelivery();
    const kpis = await api.get(`/v1/kpis?scope=store&id=${storeId}`, as("au-1", "auditor"));
    expect(kpis).toMatchObject({ status: 200, body: { scope: "store", id: storeId, tasksOpen: 1, tasksHandled: 0, acknowledgements: 0, onTimeArrivalRate: 0 } });
    const from = "2026-05-01T00:00:00+08:00";
    const until = "2026-05-31T00:00:00+08:00";
    expect(await api.get(`/v1/kpis?scope=team&id=t-1&from=${encodeURIComponent(from)}&until=${encodeURIComponent(until)}`, manager)).toMatchObject({
      status: 200,
      body: { scope: "team", from: new Date(from).toISOString(), until: new Date(until).toISOString() },
    });

    const wrong = await api.get("/v1/kpis?scope=galaxy&from=yesterday", manager);
    expect(wrong.body.errors).toEqual([
      { field: "scope", message: "must be one of staff, team, store" },
      { field: "id", message: "is required" },
      { field: "from", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
    ]);
    // The period's order is dispatch's rule, and comes back naming the field too.
    const reversed = await api.get(`/v1/kpis?scope=store&id=${storeId}&from=${encodeURIComponent(until)}&until=${encodeURIComponent(from)}`, manager);
    expectProblem(reversed, 400);
    expect(reversed.body.errors).toEqual([{ field: "until", message: "must be after from" }]);
    const tooLong = await api.get(`/v1/kpis?scope=store&id=${storeId}&from=${encodeURIComponent("2024-01-01T00:00:00Z")}&until=${encodeURIComponent(until)}`, manager);
    expect(tooLong.body.errors).toEqual([{ field: "until", message: "must be at most 366 days after from" }]);
    expectProblem(await api.get(`/v1/kpis?scope=store&id=${storeId}`, desk), 403, "caller.not-permitted");
  });

  it("hold a store-scoped reader to the KPIs of their stores and their stores' people; a team names no store, so only chain-wide", async () => {
    const { storeId, rider } = await storeWithOneAssignedDelivery();
    const { storeId: elsewhere, rider: elsewhereRider } = await storeWithOneAssignedDelivery();
    const scoped = callerHeaders(`staff:m-9:store-manager@${storeId}`);
    expect(await api.get(`/v1/kpis?scope=store&id=${storeId}`, scoped)).toMatchObject({ status: 200, body: { scope: "store", id: storeId, tasksOpen: 1 } });
    expect(await api.get(`/v1/kpis?scope=staff&id=${rider}`, scoped)).toMatchObject({ status: 200, body: { scope: "staff", id: rider } });
    // Another store's figures, or a person working there, are not theirs to read (before: answered in full).
    expectProblem(await api.get(`/v1/kpis?scope=store&id=${elsewhere}`, scoped), 403, "caller.out-of-store-scope");
    expectProblem(await api.get(`/v1/kpis?scope=staff&id=${elsewhereRider}`, scoped), 403, "caller.out-of-store-scope");
    expectProblem(await api.get("/v1/kpis?scope=team&id=t-1", scoped), 403, "caller.store-scope-unknown");
  });

  it("tell a store-scoped caller whose role may not take the step nothing of whether a person works at another store", async () => {
    const { storeId } = await storeWithOneAssignedDelivery();
    const { rider: elsewhere } = await storeWithOneAssignedDelivery();
    const rider = callerHeaders(`staff:${storeId}-rider:rider@${storeId}`);
    // A person of another store and nobody at all are refused alike, for the caller's role, before dispatch is asked where they work.
    for (const staffId of [elsewhere, `nobody-${storeId}`]) {
      expectProblem(await api.get(`/v1/staff/${staffId}/tasks`, rider), 403, "caller.not-permitted");
      expectProblem(await api.get(`/v1/kpis?scope=staff&id=${staffId}`, rider), 403, "caller.not-permitted");
      expectProblem(await api.put(`/v1/staff/${staffId}/shift`, allWeek, rider), 403, "caller.not-permitted");
      expectProblem(await api.post(`/v1/staff/${staffId}/absences`, { from: "2026-12-24T00:00:00Z", until: "2026-12-26T00:00:00Z" }, rider), 403, "caller.not-permitted");
    }
    // Their own worklist is still theirs.
    expect((await api.get(`/v1/staff/${storeId}-rider/tasks`, rider)).status).toBe(200);
  });
});
