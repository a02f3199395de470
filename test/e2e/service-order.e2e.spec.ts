import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@oms/testing";
import { dispatchDesk, staffCaller } from "../support/dispatch-desk.ts";
import { publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A cleaning job from booking to the customer's acceptance, through the seven services
 * as processes: a window is booked, the job is assigned to the cleaner with the skill in
 * the customer's district who is on shift for the window (the booking records them), who acknowledges, confirms the appointment, checks in, writes
 * the service record and reports after self-inspection; the customer refuses once, the
 * same cleaner reworks and reports again, and the customer accepts.
 */
let system: SystemUnderTest;
let desk: ReturnType<typeof dispatchDesk>;
const customer = "customer:c-wang";

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
  desk = dispatchDesk(system.stack.services.dispatch.grpc);
}, 180_000);

afterAll(async () => {
  desk?.close();
  await system?.stop();
});

// The public API as the people use it (test/support/public-api.ts), once the system is up.
let api: PublicApi;
const call: PublicApi["call"] = (...args) => api.call(...args);
const until: PublicApi["until"] = (...args) => api.until(...args);

describe("a service order from booking to acceptance", () => {
  it("books, assigns, executes, is refused once, reworked, reported again and accepted", async () => {
    const from = new Date(Date.now() + 2 * 3600_000);
    const windows = await desk.queries.findFreeWindows({
      storeId: "store-sh-jingan",
      skill: "cleaning",
      from: from.toISOString(),
      until: new Date(from.getTime() + 24 * 3600_000).toISOString(),
    });
    const window = windows.windows[0]!;
    expect(window).toBeDefined();

    const order = {
      channel: "phone",
      channelOrderId: `PHONE-SVC-${Date.now()}`,
      storeId: "store-sh-jingan",
      kind: "service",
      fulfillmentMethod: "on-site",
      customer: {
        name: "Wang Jing",
        phone: "+86 139 0000 1234",
        address: { line1: "12 Yuyuan Road", city: "Shanghai", district: "Jing'an", country: "CN" },
      },
      lines: [{ sku: "SVC-DEEP-CLEAN", description: "Deep cleaning, 3 hours, two cleaners", quantity: 1, unitPriceMinor: 39_900 }],
      totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 39_900, currency: "CNY" },
      paymentMethod: "third-party",
      prepaid: true,
      requestedFrom: window.start,
      requestedUntil: window.end,
      confirmedByCustomer: true,
    };
    const placed = await call("POST", "/v1/orders", "staff:staff-sun-li:order-taker", order);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    const booking = await desk.commands.bookWindow({ storeId: "store-sh-jingan", skill: "cleaning", windowStart: window.start, orderId, caller: staffCaller("staff-sun-li", "order-taker") });
    expect(booking.windowEnd).toBe(window.end);

    await until(orderId, "assigned");
    // The order taker reads whom the job went to; the customer is shown no one (ADR 022, twenty-sixth-session addendum).
    const assigned = (await call("GET", `/v1/orders/${orderId}`, "staff:staff-sun-li:order-taker")).body;
    expect(assigned.assigneeStaffId).toBe("staff-zhang-min");
    const cleaner = staffCaller("staff-zhang-min");
    const taskId = assigned.taskId as string;
    // The booked window is tied to the cleaner who will do the visit.
    const booked = await eventually(async () => {
      const task = await desk.queries.getTask({ taskId });
      return task.service?.booking?.assignedStaffId ? task.service.booking : undefined;
    }, 10_000, 200);
    expect(booked).toMatchObject({ windowStart: window.start, windowEnd: window.end, assignedStaffId: "staff-zhang-min" });
    const step = { taskId, caller: cleaner, correlationId: "" };
    await desk.commands.acknowledgeTask(step);
    await desk.commands.confirmAppointment({ ...step, appointmentFrom: window.start, appointmentUntil: window.end, siteSurveyNeeded: false, needs: "kitchen and bathrooms", toolsAndMaterials: ["steam cleaner", "degreaser"] });
    // The cleaner arrives early (the window lies ahead): the check-in is now.
    const arrived = new Date().toISOString();
    await desk.commands.checkIn({ ...step, at: arrived, lateCause: "", lateMeasure: "" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The record's id is the app's, one per round, so that its retries are known as such.
    const record = { ...step, recordId: `${taskId}/record/0`, startedAt: arrived, finishedAt: new Date().toISOString(), content: "kitchen, two bathrooms, windows", customerRemarks: "", photoRefs: ["photo-before", "photo-after"] };
    await desk.commands.writeServiceRecord(record);
    await expect(
      desk.commands.submitServiceReport({ ...step, checklist: [{ item: "floors", passed: true, note: "" }, { item: "kitchen corners", passed: false, note: "grease left" }], attachmentRefs: [], collectedMinor: 0 }),
    ).rejects.toMatchObject({ kind: "validation" });
    await desk.commands.submitServiceReport({ ...step, checklist: [{ item: "floors", passed: true, note: "" }, { item: "kitchen corners", passed: true, note: "" }], attachmentRefs: ["photo-after"], collectedMinor: 0 });
    await until(orderId, "delivered");

    expect((await call("POST", `/v1/orders/${orderId}/rejection`, customer, { reason: "balcony was not cleaned" })).status).toBe(200);
    await until(orderId, "rework");
    const reopened = await eventually(async () => {
      const task = await desk.queries.getTask({ taskId });
      return task.status === "in-progress" ? task : undefined;
    }, 30_000, 200);
    expect(reopened.staffId).toBe("staff-zhang-min");
    await desk.commands.writeServiceRecord({ ...record, recordId: `${taskId}/record/1`, finishedAt: new Date().toISOString(), content: "balcony cleaned", customerRemarks: "thanks" });
    await desk.commands.submitServiceReport({ ...step, checklist: [{ item: "balcony", passed: true, note: "" }], attachmentRefs: ["photo-balcony"], collectedMinor: 0 });
    await until(orderId, "delivered");

    expect((await call("POST", `/v1/orders/${orderId}/acceptance`, customer)).status).toBe(200);
    const completed = await until(orderId, "settled");
    const steps = completed.timeline.map((t: { what: string }) => t.what);
    expect(steps.filter((s: string) => s === "delivery.recorded")).toHaveLength(2);
    expect(steps).toContain("order.rework");
  });
});
