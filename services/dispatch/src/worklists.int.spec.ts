import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// Worklists (WorkloadQuery.ListTasks) over gRPC on real Postgres, Redis and Kafka: a
// person's tasks soonest due first (appointment, else acknowledgement deadline, else
// creation), a store's oldest first, narrowed by status and limit; refusals name the field.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ retryQueuedAfterMs: 300 }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

// One "now" for the file: two readings of the clock a millisecond apart would shift a 30-minute appointment's length.
const startedAt = Date.now();
const hoursFromNow = (h: number) => new Date(startedAt + h * 3600_000).toISOString();
const asStaff = (id: string) => ({ kind: "staff", id, role: "service-staff" });

/** Publishes a task request and waits until dispatch answered it (assigned, or queued for nobody). */
async function requested(storeId: string, overrides: Parameters<typeof assignmentRequested>[1], until: (status: string) => boolean) {
  const request = assignmentRequested(storeId, overrides);
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const taskId = request.payload.taskId;
  await eventually(async () => (until((await query.getTask({ taskId }).catch(() => undefined))?.status ?? "") ? true : undefined));
  return { taskId, orderId: request.orderId };
}

/**
 * One person who takes deliveries and installations, in a store with a 10-minute
 * acknowledgement window; six tasks created one after the other:
 * an acknowledged delivery (due since its creation), installations acknowledged with
 * appointments in two hours and in one hour, an unacknowledged delivery (due in ten
 * minutes), a plumbing job nobody can take (pending) and one cancelled with its order.
 */
async function storeWithSixTasks() {
  const storeId = randomStore();
  const person = `${storeId}-fitter`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, person, { roles: ["service-staff"], capacity: 10, skills: [{ skill: "delivery", level: 2 }, { skill: "installation", level: 2 }] }),
  ]);
  await commands.setStoreSettings({ storeId, acknowledgeWithinSeconds: 600, preferredStaffId: "" });
  const assigned = (status: string) => status === "assigned";
  const acknowledged = await requested(storeId, {}, assigned);
  await commands.acknowledgeTask({ taskId: acknowledged.taskId, caller: asStaff(person), correlationId: "" });
  const visit = async (fromHours: number) => {
    const task = await requested(storeId, { taskKind: "service", skills: ["installation"] }, assigned);
    await commands.acknowledgeTask({ taskId: task.taskId, caller: asStaff(person), correlationId: "" });
    const appointment = { appointmentFrom: hoursFromNow(fromHours), appointmentUntil: hoursFromNow(fromHours + 0.5), siteSurveyNeeded: false, needs: "fit a unit", toolsAndMaterials: [] };
    await commands.confirmAppointment({ taskId: task.taskId, caller: asStaff(person), correlationId: "", ...appointment });
    return task;
  };
  const inTwoHours = await visit(2);
  const inOneHour = await visit(1);
  const unacknowledged = await requested(storeId, {}, assigned);
  const nobodyCan = (status: string) => status === "pending";
  const waiting = await requested(storeId, { taskKind: "service", skills: ["plumbing"] }, nobodyCan);
  const cancelled = await requested(storeId, { taskKind: "service", skills: ["plumbing"] }, nobodyCan);
  const cancellation = newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue: false }, {
    producer: "fulfillment",
    orderId: cancelled.orderId,
    storeId,
    actor: systemActor("fulfillment"),
  });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [cancellation]);
  await eventually(async () => ((await query.getTask({ taskId: cancelled.taskId })).status === "cancelled" ? true : undefined));
  return { storeId, person, acknowledged, inTwoHours, inOneHour, unacknowledged, waiting, cancelled };
}

const idsOf = (answer: { tasks: { taskId: string }[] }) => answer.tasks.map((t) => t.taskId);

describe("worklists", () => {
  it("list a person's tasks soonest due first, and a store's oldest first, narrowed by status and limit", async () => {
    const s = await storeWithSixTasks();
    const list = (request: { staffId?: string; storeId?: string; statuses?: string[]; limit?: number }) =>
      query.listTasks({ staffId: "", storeId: "", statuses: [], limit: 0, pageSize: 0, pageToken: "", ...request });

    const mine = await list({ staffId: s.person });
    expect(idsOf(mine)).toEqual([s.acknowledged, s.unacknowledged, s.inOneHour, s.inTwoHours].map((t) => t.taskId));
    const [first, second, third] = mine.tasks;
    expect(first).toMatchObject({ orderId: s.acknowledged.orderId, storeId: s.storeId, kind: "delivery", status: "acknowledged", staffId: s.person, region: "Jing'an", acknowledgeBy: "", appointmentFrom: "" });
    expect(new Date(second!.acknowledgeBy).getTime() - Date.now()).toBeGreaterThan(8 * 60_000);
    expect(second).toMatchObject({ status: "assigned", appointmentFrom: "" });
    expect(third).toMatchObject({ kind: "service", status: "acknowledged", acknowledgeBy: "" });
    expect(new Date(third!.appointmentUntil).getTime() - new Date(third!.appointmentFrom).getTime()).toBe(30 * 60_000);

    // The store's queue: what has not ended, oldest first; the cancelled task only when asked for.
    const queue = await list({ storeId: s.storeId });
    expect(idsOf(queue)).toEqual([s.acknowledged, s.inTwoHours, s.inOneHour, s.unacknowledged, s.waiting].map((t) => t.taskId));
    expect(queue.tasks[4]).toMatchObject({ status: "pending", staffId: "", acknowledgeBy: "" });
    expect(idsOf(await list({ storeId: s.storeId, statuses: ["pending"] }))).toEqual([s.waiting.taskId]);
    expect(idsOf(await list({ storeId: s.storeId, statuses: ["cancelled", "assigned", "cancelled"] }))).toEqual([s.unacknowledged.taskId, s.cancelled.taskId]);
    expect(idsOf(await list({ storeId: s.storeId, limit: 2 }))).toEqual([s.acknowledged.taskId, s.inTwoHours.taskId]);

    // Both: the person's tasks in that store, in the person's order; none in another store.
    expect(idsOf(await list({ staffId: s.person, storeId: s.storeId, statuses: ["acknowledged"], limit: 2 }))).toEqual([s.acknowledged.taskId, s.inOneHour.taskId]);
    expect(await list({ staffId: s.person, storeId: randomStore() })).toEqual({ tasks: [], nextPageToken: "" });
    expect(await list({ staffId: s.person, statuses: ["pending"] })).toEqual({ tasks: [], nextPageToken: "" });
    expect(await list({ storeId: randomStore() })).toEqual({ tasks: [], nextPageToken: "" });
  });

  it("refuse a request naming each wrong field, and a person dispatch does not know", async () => {
    const refused = await query.listTasks({ staffId: "", storeId: "", statuses: ["assigned", "on-hold"], limit: 501, pageSize: 0, pageToken: "" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fields.map((f) => f.field)).toEqual(["staffId", "storeId", "statuses[1]", "limit"]);
    await expect(query.listTasks({ staffId: "", storeId: randomStore(), statuses: [], limit: -1, pageSize: 0, pageToken: "" })).rejects.toMatchObject({ fields: [{ field: "limit" }] });
    await expect(query.listTasks({ staffId: "nobody-at-all", storeId: "", statuses: [], limit: 0, pageSize: 0, pageToken: "" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("can read a store's queue through its index rather than the whole table", async () => {
    // The test tables are tiny, so the planner prefers a scan; forbidding it shows an index serves the query.
    const client = await dispatch.runtime.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT task_id FROM tasks t WHERE t.status = ANY('{pending,assigned}'::text[]) AND t.store_id = 'store-x' ORDER BY t.created_at, t.task_id COLLATE "C" LIMIT 100`,
      );
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("tasks_by_store_status");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
