import { describe, expect, it } from "vitest";
import { actorInKind, orderAsSeenBy, orderAsTheCustomerSees } from "./order-as-the-customer-sees.ts";
import type { OrderStatusView } from "./order-views.ts";

// ADR 022, twenty-sixth-session addendum: an order as its customer or marketplace reads it names no member of staff by their id.
const at = "2026-12-07T10:00:00.000Z";
const entry = (what: string, detail: string, actor: string) => ({ at, service: "fulfillment", what, detail, actor });

const asFulfillmentTellsIt: OrderStatusView = {
  orderId: "o-1",
  storeId: "store-1",
  channel: "website",
  channelOrderId: "w-1",
  kind: "goods",
  fulfillmentMethod: "ship",
  status: "delivered",
  priority: 0,
  classification: [],
  assigneeStaffId: "r-7",
  trackingNumber: "SF1",
  reservationId: "o-1/reservation/1",
  taskId: "o-1/task/1",
  parts: [{ partId: "p-1", storeId: "store-2", stage: "delivered", lines: [{ sku: "KETTLE-1", quantity: 1 }], reservationId: "o-1/p-1", taskId: "o-1/p-1/task", assigneeStaffId: "r-9" }],
  createdAt: at,
  updatedAt: at,
  timeline: [
    entry("order.received", "via website", "customer:c-42"),
    entry("review.approved", "checked by phone", "staff:rev-1"),
    entry("order.credit-checked", "prepaid", "system:fulfillment"),
    entry("task.assigned", "r-7", "system:dispatch"),
    entry("order.assigned", "assigned to r-7", "system:dispatch"),
    entry("order.assigned", "assigned to r-8 while held", "system:fulfillment"),
    entry("task.acknowledged", "", "staff:r-7"),
    entry("order.corrected", "address, phone (asked by ot-1)", "staff:sup-2"),
    entry("shipment.picked", "", "staff:wh-3"),
    entry("delivery.recorded", "courier by r-7, proof: signature", "staff:r-7"),
    entry("delivery.recorded", "courier by r-7, proof: signature (shipment o-1/p-1)", "system:dispatch"),
    entry("order.cancellation", "the customer changed their mind", "staff:cs-1"),
  ],
};

describe("an order as its customer reads it", () => {
  const seen = orderAsTheCustomerSees(asFulfillmentTellsIt);

  it("shows whom the order and each part are given to not at all", () => {
    expect(seen.assigneeStaffId).toBeUndefined();
    expect(seen.parts?.map((p) => p.assigneeStaffId)).toEqual([undefined]);
    expect(seen.timeline.filter((e) => e.what === "task.assigned" || e.what === "order.assigned").map((e) => e.detail)).toEqual(["", "assigned", "assigned while held"]);
  });

  it("names any staff who did a step as the store; the customer and the services keep their names", () => {
    expect(seen.timeline.map((e) => e.actor)).toEqual([
      "customer:c-42",
      "store",
      "system:fulfillment",
      "system:dispatch",
      "system:dispatch",
      "system:fulfillment",
      "store",
      "store",
      "store",
      "store",
      "system:dispatch",
      "store",
    ]);
    expect(seen.timeline.find((e) => e.what === "order.corrected")?.detail).toBe("address, phone (asked by store)");
    expect(seen.timeline.filter((e) => e.what === "delivery.recorded").map((e) => e.detail)).toEqual([
      "courier by store, proof: signature",
      "courier by store, proof: signature (shipment o-1/p-1)",
    ]);
  });

  it("keeps everything else as fulfillment tells it, and no staff id anywhere", () => {
    expect(seen).toMatchObject({ status: "delivered", trackingNumber: "SF1", reservationId: "o-1/reservation/1", taskId: "o-1/task/1" });
    expect(seen.timeline.find((e) => e.what === "order.cancellation")?.detail).toBe("the customer changed their mind");
    for (const staffId of ["r-7", "r-8", "r-9", "rev-1", "ot-1", "sup-2", "wh-3", "cs-1"]) expect(JSON.stringify(seen), staffId).not.toMatch(new RegExp(`\\b${staffId}\\b`));
  });

  it("leaves a marketplace that recorded the delivery its name: it is the order's channel, not a person", () => {
    const delivered = orderAsTheCustomerSees({ ...asFulfillmentTellsIt, timeline: [entry("delivery.recorded", "courier by tmall, proof: signature", "platform:tmall")] });
    expect(delivered.timeline).toEqual([entry("delivery.recorded", "courier by platform:tmall, proof: signature", "platform:tmall")]);
  });

  it("is for customers and marketplaces only: staff read the order as it is", () => {
    expect(orderAsSeenBy({ kind: "staff", id: "cs-1", role: "customer-service" }, asFulfillmentTellsIt)).toBe(asFulfillmentTellsIt);
    expect(orderAsSeenBy({ kind: "customer", id: "c-42", role: "customer" }, asFulfillmentTellsIt)).toEqual(seen);
    expect(orderAsSeenBy({ kind: "platform", id: "tmall", role: "platform" }, asFulfillmentTellsIt)).toEqual(seen);
  });

  it("names staff in kind and no one else", () => {
    expect(["staff:r-7", "customer:c-1", "system:intake", "platform:jd", ""].map(actorInKind)).toEqual(["store", "customer:c-1", "system:intake", "platform:jd", ""]);
  });
});
