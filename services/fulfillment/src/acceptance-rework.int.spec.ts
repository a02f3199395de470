import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { acceptanceTimerKey, TimerKinds } from "./app/deadlines.ts";
import { taskIdOf } from "./domain/ids.ts";
import { settingsFromEnv } from "./service.ts";
import { type FulfillmentUnderTest, intakeOrderReceived, startTestFulfillment } from "./test-fixtures.ts";

/**
 * A refused delivery and its redelivery each have their own acceptance period: the first
 * one's deadline must never accept the second delivery early. The period is an hour here,
 * so the deadlines fire only when a test makes them due.
 */
let under: FulfillmentUnderTest;
const storeId = `store-${randomUUID().slice(0, 8)}`;
const customer = { kind: "customer", id: "c-42", role: "customer" };

beforeAll(async () => {
  under = await startTestFulfillment({ ...settingsFromEnv({}), acceptancePeriodHours: 1 });
});

afterAll(() => under?.stop());

/** A cleaning order delivered by the assignee's service report (the shortest way to "delivered"). */
async function deliveredServiceOrder() {
  const orderId = randomUUID();
  const received = intakeOrderReceived(orderId, true, storeId);
  Object.assign((received.payload as unknown as { order: Record<string, unknown> }).order, { kind: "service", fulfillmentMethod: "on-site", tags: ["skill:cleaning"] });
  const dispatch = { producer: "dispatch", orderId, storeId, correlationId: received.correlationId };
  const staff = { kind: "staff", id: "staff-zhang-min", role: "service-staff" } as const;
  await publishEvents(under.namespace.name, Topics.intakeOrder, [received]);
  await under.statusOf(orderId, "credit-checked");
  await publishEvents(under.namespace.name, Topics.dispatchAssignment, [
    newEvent(EventTypes.TaskAssigned, { taskId: taskIdOf(orderId), assignmentId: randomUUID(), staffId: staff.id, acknowledgeBy: "", fencingToken: 1 }, { ...dispatch, actor: { kind: "system", id: "dispatch", role: "system" } }),
  ]);
  await under.statusOf(orderId, "assigned");
  const submitReport = async (reportId: string) => {
    const report = { taskId: taskIdOf(orderId), reportId, staffId: staff.id, submittedAt: new Date().toISOString(), checklistPassed: true, attachmentRefs: [], collectedMinor: 0 };
    await publishEvents(under.namespace.name, Topics.dispatchAssignment, [newEvent(EventTypes.ServiceReportSubmitted, report, { ...dispatch, actor: staff })]);
    return under.statusOf(orderId, "delivered");
  };
  await submitReport("report-1");
  return { orderId, submitReport };
}

async function acceptanceTimers(orderId: string) {
  const { rows } = await under.fulfillment.runtime.pool.query<{ timer_key: string; cancelled: boolean; fired: boolean }>(
    "SELECT timer_key, cancelled_at IS NOT NULL AS cancelled, fired_at IS NOT NULL AS fired FROM timers WHERE kind = $1 AND order_id = $2 ORDER BY timer_key",
    [TimerKinds.acceptancePeriod, orderId],
  );
  return rows;
}

/** Makes the delivery's acceptance period run out now; `uncancelled` as if it had fired before its cancellation committed. */
async function runOut(orderId: string, deliveryRound: number, options: { uncancelled?: boolean } = {}) {
  const key = acceptanceTimerKey(orderId, deliveryRound);
  await under.fulfillment.runtime.pool.query(
    `UPDATE timers SET due_at = now(), cancelled_at = CASE WHEN $3 THEN NULL ELSE cancelled_at END WHERE kind = $1 AND timer_key = $2`,
    [TimerKinds.acceptancePeriod, key, options.uncancelled ?? false],
  );
  await eventually(async () => ((await acceptanceTimers(orderId)).find((t) => t.timer_key === key)?.fired ? true : undefined));
}

describe("acceptance period across rework", () => {
  it("withdraws the refused delivery's acceptance period, and accepts the redelivery only by its own", async () => {
    const { orderId, submitReport } = await deliveredServiceOrder();
    const refused = await under.commands.rejectDelivery({ orderId, caller: customer, reason: "kitchen corners not cleaned", correlationId: "" });
    expect(refused.status).toBe("rework");
    expect(await acceptanceTimers(orderId)).toEqual([{ timer_key: acceptanceTimerKey(orderId, 0), cancelled: true, fired: false }]);

    await submitReport("report-2");
    // The first period fires anyway (its cancellation lost a race): the redelivery stays open to the customer's answer.
    await runOut(orderId, 0, { uncancelled: true });
    const stillOpen = await under.query.getOrder({ orderId });
    expect(stillOpen.status).toBe("delivered");
    expect(stillOpen.timeline.map((t) => t.what)).not.toContain("order.accepted");

    await runOut(orderId, 1);
    const completed = await under.statusOf(orderId, "completed");
    expect(completed.timeline.filter((t) => t.what === "order.accepted")).toEqual([expect.objectContaining({ actor: "system:fulfillment", detail: expect.stringContaining("acceptance period") })]);
  });
});
