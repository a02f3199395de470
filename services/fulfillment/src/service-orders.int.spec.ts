import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent } from "@oms/contracts";
import { publishEvents, readTopic } from "@oms/testing";
import { taskIdOf } from "./domain/ids.ts";
import { intakeOrderReceived, startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * A service order's delivery is its assignee's report, heard from dispatch: refused by the
 * customer it goes to rework, and the new report's acceptance completes it; money paid on the
 * visit travels with the delivery.
 */
let under: FulfillmentUnderTest;
const storeId = `store-${randomUUID().slice(0, 8)}`;
const customer = { kind: "customer", id: "c-42", role: "customer" };

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

/** Dispatch's report that the task was assigned, in the order's correlation chain. */
const taskAssigned = (orderId: string, correlationId: string) =>
  newEvent(
    EventTypes.TaskAssigned,
    { taskId: taskIdOf(orderId), assignmentId: randomUUID(), staffId: "staff-li-wei", acknowledgeBy: "", fencingToken: 1 },
    { producer: "dispatch", orderId, storeId, correlationId, actor: { kind: "system", id: "dispatch", role: "system" } },
  );

describe("service orders", () => {
  it("counts the assignee's service report as delivery, goes to rework on refusal, and completes on the new report's acceptance", async () => {
    const orderId = randomUUID();
    const received = intakeOrderReceived(orderId, true, storeId);
    const order = (received.payload as unknown as { order: Record<string, unknown> }).order;
    Object.assign(order, { kind: "service", fulfillmentMethod: "on-site", tags: ["skill:cleaning"] });
    await publishEvents(under.namespace.name, Topics.intakeOrder, [received]);
    await under.statusOf(orderId, "credit-checked");
    await publishEvents(under.namespace.name, Topics.dispatchAssignment, [taskAssigned(orderId, received.correlationId)]);
    await under.statusOf(orderId, "assigned");

    // The first visit was paid in cash on site; the rework's report takes nothing more.
    const report = (reportId: string, collectedMinor = 0) =>
      newEvent(
        EventTypes.ServiceReportSubmitted,
        { taskId: taskIdOf(orderId), reportId, staffId: "staff-zhang-min", submittedAt: new Date().toISOString(), checklistPassed: true, attachmentRefs: ["photo-1"], collectedMinor },
        { producer: "dispatch", orderId, storeId, correlationId: received.correlationId, actor: { kind: "staff", id: "staff-zhang-min", role: "service-staff" } },
      );
    await publishEvents(under.namespace.name, Topics.dispatchAssignment, [report("report-1", 12_000)]);
    await under.statusOf(orderId, "delivered");
    const refused = await under.commands.rejectDelivery({ orderId, caller: customer, reason: "kitchen corners not cleaned", correlationId: "" });
    expect(refused.status).toBe("rework");
    await publishEvents(under.namespace.name, Topics.dispatchAssignment, [report("report-2")]);
    await under.statusOf(orderId, "delivered");
    const completed = await under.commands.acceptDelivery({ orderId, caller: customer, reason: "", correlationId: "" });
    expect(completed.status).toBe("completed");
    const reports = completed.timeline.filter((t) => t.what === "delivery.recorded").map((t) => t.detail);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toContain("proof: service-report");
    // The money paid on the visit is announced with the delivery, for billing to record as a payment.
    await under.fulfillment.relay.flush();
    const deliveries = (await readTopic(Topics.fulfillmentOrder, under.namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.orderId === orderId && e.type === EventTypes.DeliveryRecorded);
    expect(deliveries.map((e) => (e!.payload as { collectedMinor: number }).collectedMinor)).toEqual([12_000, 0]);
  });
});
