import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { afterSalesCasesConsumer } from "./ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { defaultDispatchOptions } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { batchItemsOf, batchOn, racedBehindHeldTask, waitingForLock } from "./testing/consumer-batches.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// A force-majeure hold pausing an order's after-sales visits (task id order) racing a batch of
// visit rejections reopening them (ADR 027's twenty-sixth-session addendum, locks): both consumers'
// batches, applied as they apply a Kafka batch, in transactions of their own. The test holds the
// order's visit between the two rejected ones, so that each batch is in the lock it must be in when
// the other arrives, the same way every run.
let under: DispatchUnderTest;
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest();
  ({ namespace, dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const logger = createLogger({ service: "dispatch-test", level: "silent", pretty: false });
const staff = (id: string) => ({ kind: "staff", id, role: "service-staff" });
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const agent = { kind: "staff" as const, id: "cs-1", role: "customer-service" };

async function workRound(taskId: string, who: string) {
  const base = { taskId, caller: staff(who), correlationId: "corr-round" };
  await under.commands.acknowledgeTask({ taskId, caller: staff(who), correlationId: "" });
  await under.commands.confirmAppointment({ ...base, appointmentFrom: minutesFromNow(-10), appointmentUntil: minutesFromNow(50), siteSurveyNeeded: false, needs: "the kettle does not heat", toolsAndMaterials: [] });
  await under.commands.checkIn({ ...base, at: "", lateCause: "", lateMeasure: "" });
  await under.commands.writeServiceRecord({ ...base, recordId: `${taskId}/record/0`, startedAt: minutesFromNow(-5), finishedAt: minutesFromNow(0), content: "round 0", customerRemarks: "", photoRefs: [] });
  return under.commands.submitServiceReport({ ...base, checklist: [{ item: "heats", passed: true, note: "" }], attachmentRefs: [], collectedMinor: 0 });
}

const rejected = (orderId: string, storeId: string, caseId: string) =>
  newEvent(
    EventTypes.VisitRejected,
    { caseId, taskId: afterSalesVisitTaskId(caseId), round: 1, rejectedReportId: "", sealedReason: Buffer.from("sealed") },
    { producer: "after-sales", orderId, storeId, actor: { kind: "customer", id: "c-1", role: "customer" } },
  );

const heldForForceMajeure = (orderId: string, storeId: string) =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "in-progress", toStatus: "on-hold", reason: "force majeure: typhoon; work paused", carrier: "", trackingNumber: "", holdReason: "force-majeure" },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );

/** An order of the store with a repair visit per case, each assigned to the store's technician; those in `reported` worked to their report. */
async function orderWithVisits(storeId: string, caseIds: string[], reported: string[]): Promise<string> {
  const { pool } = dispatch.runtime;
  const tech = `${storeId}-tech`;
  await upsertStaff(pool, "dispatch", [staffMember(storeId, tech, { roles: ["service-staff"], skills: [{ skill: "repair", level: 2 }], regions: ["Xuhui"] })]);
  const order = assignmentRequested(storeId, { region: "Xuhui" });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [order]);
  // The visits take their district from the order's own work: its task must be on record before
  // the cases arrive (another topic, another group), or the visits wait for "region (none)" (ADR 025).
  await eventually(async () => ((await under.query.getTask({ taskId: order.payload.taskId }).catch(() => undefined)) ? true : undefined));
  const origin = { producer: "after-sales" as const, orderId: order.orderId, storeId, actor: agent };
  await publishEvents(
    namespace.name,
    Topics.afterSalesCase,
    caseIds.map((caseId) => newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: agent.id, note: "", kind: "repair", lines: [{ sku: "KETTLE-1", quantity: 1 }] }, origin)),
  );
  for (const caseId of caseIds) {
    await eventually(async () => ((await under.query.getTask({ taskId: afterSalesVisitTaskId(caseId) }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  }
  for (const caseId of reported) expect(await workRound(afterSalesVisitTaskId(caseId), tech)).toMatchObject({ status: "done" });
  return order.orderId;
}

/**
 * The test holds `heldTask`; the holds' batch starts and waits for it, then the rejections' batch
 * starts and waits too; past the rejections' deadlock check the test lets go, so that a cycle
 * closed then is found by the holds' session (a 40P01 failing the test). Both batches must commit.
 */
async function race(holds: OrderEvent[], rejections: OrderEvent[], heldTask: string): Promise<void> {
  const { pool } = dispatch.runtime;
  const deps = { pool, outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, ...defaultDispatchOptions };
  const outcomes = await racedBehindHeldTask(pool, heldTask, async () => {
    const pause = await batchOn(pool, (tx) => fulfillmentRequestsConsumer(deps).handleBatch!(batchItemsOf(holds, Topics.fulfillmentOrder), { tx, logger }));
    await waitingForLock(pool, pause.pid);
    const reopen = await batchOn(pool, (tx) => afterSalesCasesConsumer(deps).handleBatch!(batchItemsOf(rejections, Topics.afterSalesCase), { tx, logger }));
    await waitingForLock(pool, reopen.pid);
    return { settled: Promise.all([pause.outcome, reopen.outcome]) };
  });
  for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
}

/** Each visit reopened for its new round, and paused: its order is held. */
async function expectReopenedAndPaused(caseIds: string[]): Promise<void> {
  for (const caseId of caseIds) {
    const taskId = afterSalesVisitTaskId(caseId);
    expect(await under.query.getTask({ taskId })).toMatchObject({ status: "pending", service: { round: 1 } });
    const { rows } = await dispatch.runtime.pool.query<{ held: boolean }>("SELECT held_since IS NOT NULL AS held FROM tasks WHERE task_id = $1", [taskId]);
    expect(rows).toEqual([{ held: true }]);
  }
}

describe("force-majeure holds and a batch of visit rejections over the same visits", () => {
  it("take one order's visits in task id order both, however the rejections came: no deadlock", async () => {
    const storeId = randomStore();
    // Task id order: first < middle < last; the test holds the middle one, which only the hold locks.
    const stem = randomUUID();
    const [first, middle, last] = ["a", "b", "c"].map((s) => `case-${stem}-${s}`) as [string, string, string];
    const orderId = await orderWithVisits(storeId, [first, middle, last], [first, last]);
    // The rejections name the last visit first, as they came.
    await race([heldForForceMajeure(orderId, storeId)], [rejected(orderId, storeId, last), rejected(orderId, storeId, first)], afterSalesVisitTaskId(middle));
    expect((await dispatch.runtime.pool.query("SELECT 1 FROM held_orders WHERE order_id = $1", [orderId])).rowCount).toBe(1);
    await expectReopenedAndPaused([first, last]);
  });

  it("take two orders' visits, held in one batch, in task id order across the orders: no deadlock", async () => {
    const storeId = randomStore();
    const stem = randomUUID();
    // The second order's visit sorts first; the first order's rejected visit, then one only its hold locks, after it.
    const [secondsVisit, firstsVisit, firstsOther] = ["a", "c", "d"].map((s) => `case-${stem}-${s}`) as [string, string, string];
    const firstOrder = await orderWithVisits(storeId, [firstsVisit, firstsOther], [firstsVisit]);
    const secondOrder = await orderWithVisits(storeId, [secondsVisit], [secondsVisit]);
    await race(
      [heldForForceMajeure(firstOrder, storeId), heldForForceMajeure(secondOrder, storeId)],
      [rejected(secondOrder, storeId, secondsVisit), rejected(firstOrder, storeId, firstsVisit)],
      afterSalesVisitTaskId(firstsOther),
    );
    await expectReopenedAndPaused([secondsVisit, firstsVisit]);
  });
});
