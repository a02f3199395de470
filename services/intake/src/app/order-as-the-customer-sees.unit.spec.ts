import { describe, expect, it } from "vitest";
import { actorInKind, orderAsSeenBy, orderAsTheCustomerSees } from "./order-as-the-customer-sees.ts";
import type { OrderStatusView, TimelineEntryView } from "./order-views.ts";

// ADR 022, twenty-sixth- and twenty-seventh-session addenda: an order as its customer or marketplace reads it names no member of staff,
// shows none of the store's own steps, and words each step from its kind and facts, never from staff's detail.
const at = "2026-12-07T10:00:00.000Z";
const step = (what: string, kind: string, detail: string, actor: string, facts: Record<string, string> = {}, customerVisible = true): TimelineEntryView => ({
  at,
  service: "fulfillment",
  what,
  detail,
  actor,
  kind,
  customerVisible,
  facts,
});
const staffStep = (what: string, kind: string, detail: string, actor: string) => step(what, kind, detail, actor, {}, false);

const asFulfillmentTellsIt: OrderStatusView = {
  orderId: "o-1",
  storeId: "store-1",
  channel: "website",
  channelOrderId: "w-1",
  kind: "goods",
  fulfillmentMethod: "ship",
  status: "cancelled",
  priority: 0,
  classification: [],
  assigneeStaffId: "r-7",
  trackingNumber: "SF1",
  reservationId: "o-1/reservation/1",
  taskId: "o-1/task/1",
  parts: [{ partId: "p-1", storeId: "store-2", stage: "reserved", lines: [{ sku: "KETTLE-1", quantity: 1 }], reservationId: "o-1/p-1", taskId: "o-1/p-1/task", assigneeStaffId: "r-9" }],
  createdAt: at,
  updatedAt: at,
  timeline: [
    step("order.received", "order-received", "accepted by intake", "customer:c-42"),
    staffStep("order.review-approved", "review", "checked by phone with Mrs Li", "staff:rev-1"),
    staffStep("credit.approved", "credit", "within the limit fin-1 set", "staff:fin-1"),
    staffStep("task.assigned", "staff-task", "r-7", "system:dispatch"),
    step("order.assigned", "order-status-changed", "assigned to r-7", "system:dispatch", { status: "assigned" }),
    staffStep("step.acknowledge-overdue", "step-overdue", "level 2, due 2026-12-07T09:00:00.000Z, escalated to store-manager", "system:dispatch"),
    staffStep("shipment.pack-overdue", "step-overdue", "level 1, due 2026-12-07T09:00:00.000Z, shipment o-1/reservation/1, warned warehouse-clerk of store-1", "system:warehouse"),
    staffStep("invoice.standard-issued", "invoice", "INV-2026-000017: 1999 CNY, tax 230", "system:billing"),
    staffStep("reconciliation.difference-found", "reconciliation", "closed-without-invoice", "staff:fin-1"),
    step("order.corrected", "order-corrected", "address, phone (asked by ot-1)", "staff:sup-2", { fields: "address, phone" }),
    // Recorded before kinds existed and not told by the migration: nobody decided the customer may see it.
    staffStep("order.something-old", "unknown", "sup-2 said so", "staff:sup-2"),
    // A kind fulfillment lets customers see but nobody worded for them here yet.
    step("order.brand-new", "brand-new-kind", "told by cs-1", "staff:cs-1", { note: "cs-1" }),
    step("shipment.dispatched", "shipment-dispatched", "SF1", "system:warehouse", { carrier: "SF Express", trackingNumber: "SF1" }),
    step("delivery.recorded", "delivery-recorded", "courier by r-7, proof: signature", "staff:r-7", { method: "courier", proofKind: "signature" }),
    step("order.cancelled", "order-status-changed", "the customer was rude, cs-1 cancelled", "staff:cs-1", { status: "cancelled" }),
    step("order.cancellation", "order-cancelled", "the customer was rude, cs-1 cancelled", "staff:cs-1", { reasonCode: "store-decision" }),
  ],
};

describe("an order as its customer reads it", () => {
  const seen = orderAsTheCustomerSees(asFulfillmentTellsIt);

  it("shows only the steps customers may see that are worded for them: none of the store's own working, no unknown kind", () => {
    expect(seen.timeline.map((e) => e.kind)).toEqual([
      "order-received",
      "order-status-changed",
      "order-corrected",
      "shipment-dispatched",
      "delivery-recorded",
      "order-status-changed",
      "order-cancelled",
    ]);
  });

  it("words each step from its kind and facts: the cancellation by its reason code, not the words staff typed", () => {
    expect(seen.timeline.map((e) => e.detail)).toEqual([
      "received",
      "assigned",
      "address, phone corrected",
      "SF1",
      "courier by store, proof: signature",
      "cancelled",
      "cancelled by the store",
    ]);
    expect(seen.timeline.every((e) => Object.keys(e.facts).length === 0)).toBe(true);
  });

  it("names no member of staff, no role, no invoice and none of staff's words anywhere", () => {
    expect(seen.assigneeStaffId).toBeUndefined();
    expect(seen.parts?.map((p) => p.assigneeStaffId)).toEqual([undefined]);
    const shown = JSON.stringify(seen);
    for (const staffId of ["r-7", "r-9", "rev-1", "ot-1", "sup-2", "cs-1", "fin-1"]) expect(shown, staffId).not.toMatch(new RegExp(`\\b${staffId}\\b`));
    for (const internal of ["store-manager", "warehouse-clerk", "INV-2026", "rude", "Mrs Li", "closed-without-invoice", "overdue"]) expect(shown, internal).not.toContain(internal);
    expect(seen.timeline.map((e) => e.actor)).toEqual(["customer:c-42", "system:dispatch", "store", "system:warehouse", "store", "store", "store"]);
  });

  it("does not read staff's detail at all: a step worded otherwise by fulfillment reads the same to the customer", () => {
    const reworded = { ...asFulfillmentTellsIt, timeline: asFulfillmentTellsIt.timeline.map((e) => ({ ...e, detail: `${e.actor} did it: ${e.detail}` })) };
    expect(orderAsTheCustomerSees(reworded).timeline).toEqual(seen.timeline);
  });

  it("keeps the rest of the order as fulfillment tells it", () => {
    expect(seen).toMatchObject({ status: "cancelled", trackingNumber: "SF1", reservationId: "o-1/reservation/1", taskId: "o-1/task/1" });
  });

  it("leaves a marketplace that recorded the delivery its name: it is the order's channel, not a person", () => {
    const delivered = orderAsTheCustomerSees({
      ...asFulfillmentTellsIt,
      timeline: [step("delivery.recorded", "delivery-recorded", "courier by tmall, proof: signature", "platform:tmall", { method: "courier", proofKind: "signature" })],
    });
    expect(delivered.timeline.map(({ actor, detail }) => ({ actor, detail }))).toEqual([{ actor: "platform:tmall", detail: "courier by platform:tmall, proof: signature" }]);
  });

  it("is for customers and marketplaces only: staff read the order as it is, every step and staff's words", () => {
    expect(orderAsSeenBy({ kind: "staff", id: "cs-1", role: "customer-service" }, asFulfillmentTellsIt)).toBe(asFulfillmentTellsIt);
    expect(orderAsSeenBy({ kind: "customer", id: "c-42", role: "customer" }, asFulfillmentTellsIt)).toEqual(seen);
    expect(orderAsSeenBy({ kind: "platform", id: "tmall", role: "platform" }, asFulfillmentTellsIt)).toEqual(seen);
  });

  it("names staff in kind and no one else", () => {
    expect(["staff:r-7", "customer:c-1", "system:intake", "platform:jd", ""].map(actorInKind)).toEqual(["store", "customer:c-1", "system:intake", "platform:jd", ""]);
  });
});

describe("an order rejected in review, as its customer reads it (ADR 022, twenty-seventh-session addendum, second reading)", () => {
  const rejected: OrderStatusView = { ...asFulfillmentTellsIt, status: "rejected", rejectionReason: "reseller, fraud suspected — ask Wang before taking any order of his", timeline: [] };

  it("tells the customer the store could not accept it, never the reviewer's words, which staff keep", () => {
    const seen = orderAsTheCustomerSees(rejected);
    expect(seen.rejectionReason).toBe("the store could not accept the order");
    expect(JSON.stringify(seen)).not.toContain("fraud");
    expect(orderAsSeenBy({ kind: "staff", id: "rev-1", role: "reviewer" }, rejected).rejectionReason).toContain("fraud suspected");
  });

  it("has no rejection reason when the order was not rejected", () => {
    expect(orderAsTheCustomerSees(asFulfillmentTellsIt).rejectionReason).toBeUndefined();
  });
});
