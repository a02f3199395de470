import { describe, expect, it } from "vitest";
import { EventTypes, newEvent, type Actor } from "@oms/contracts";
import { customerNoticeOf } from "./queue-status-pushes.ts";

const origin = { producer: "fulfillment", orderId: "o-1", storeId: "store-1", actor: { kind: "system" as const, id: "fulfillment", role: "system" } };

describe("what a marketplace's customer is told", () => {
  it("is each customer-visible status change, a pick-up ready at the counter, and an exception with its cause and next step", () => {
    expect(customerNoticeOf(newEvent(EventTypes.OrderStatusChanged, { fromStatus: "packed", toStatus: "shipped", reason: "shipped by the warehouse", carrier: "", trackingNumber: "" , holdReason: ""}, origin))).toMatchObject({
      status: "shipped",
    });
    expect(customerNoticeOf(newEvent(EventTypes.OrderReadyForPickup, { readyAt: "2026-11-23T10:00:00Z", collectBy: "2026-11-26T10:00:00Z" }, origin))).toMatchObject({
      status: "ready-for-pickup",
      reason: "ready at the store's counter until 2026-11-26T10:00:00Z",
    });
    const exception = newEvent(EventTypes.OrderExceptionRaised, { kind: "lost", cause: "lost at the hub", nextStep: "a replacement is sent", newEta: "" }, origin);
    expect(customerNoticeOf(exception)).toMatchObject({ status: "exception:lost", reason: "lost at the hub; next: a replacement is sent", eventId: exception.eventId });
  });

  it("is every parcel's tracking number, a split order's middle parcel too", () => {
    const parcel = newEvent(EventTypes.OrderParcelShipped, { partId: "2", storeId: "store-2", carrier: "SF", trackingNumber: "SF-2", orderStatus: "partially-shipped" }, origin);
    expect(customerNoticeOf(parcel)).toMatchObject({ status: "partially-shipped", reason: "part 2 shipped", carrier: "SF", trackingNumber: "SF-2", eventId: parcel.eventId });
  });

  it("is a parcel's tracking number under the order's status as it stands, never one it has passed", () => {
    const parcel = (orderStatus: string) => newEvent(EventTypes.OrderParcelShipped, { partId: "3", storeId: "store-3", carrier: "SF", trackingNumber: "SF-3", orderStatus }, origin);
    expect(customerNoticeOf(parcel("partially-delivered"))).toMatchObject({ status: "partially-delivered", trackingNumber: "SF-3" });
    expect(customerNoticeOf(parcel("on-hold"))).toMatchObject({ status: "on-hold", trackingNumber: "SF-3" });
    // An internal status (none today) or an announcement from before orderStatus: the parcel's own.
    expect(customerNoticeOf(parcel("packed"))).toMatchObject({ status: "partially-shipped" });
    expect(customerNoticeOf(parcel(""))).toMatchObject({ status: "partially-shipped" });
  });

  it("is not the order's inner steps", () => {
    expect(customerNoticeOf(newEvent(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus: "credit-checked", reason: "prepaid", carrier: "", trackingNumber: "" , holdReason: ""}, origin))).toBeUndefined();
    expect(customerNoticeOf(newEvent(EventTypes.StockReleaseRequested, { reservationId: "r", reason: "x" }, origin))).toBeUndefined();
  });

  it("never names the member of staff an order is given to (ADR 022, twenty-sixth-session addendum): the assignment, whose reason does, is an inner step", () => {
    const assigned = (toStatus: string) => newEvent(EventTypes.OrderStatusChanged, { fromStatus: "reserved", toStatus, reason: "assigned to r-7", carrier: "", trackingNumber: "", holdReason: "" }, origin);
    expect(customerNoticeOf(assigned("assigned"))).toBeUndefined();
  });
});

describe("what a marketplace's customer is told of a status's reason (ADR 022, twenty-seventh-session addendum, second reading)", () => {
  const changed = (toStatus: string, reason: string, actor: Actor = origin.actor) =>
    newEvent(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus, reason, carrier: "", trackingNumber: "", holdReason: "" }, { ...origin, actor });

  it("is the status alone, no reason, when staff or a rule moved it: never the words a member of staff typed", () => {
    const staff = { kind: "staff" as const, id: "staff-li", role: "store-manager" };
    expect(customerNoticeOf(changed("on-hold", "held until Zhang checks the address", staff))).toMatchObject({ status: "on-hold", reason: "" });
    expect(customerNoticeOf(changed("rejected", "credit refused: two invoices 90 days overdue"))).toMatchObject({ reason: "" });
  });

  it("keeps the customer's own words on their own step", () => {
    const customer = { kind: "customer" as const, id: "c-1", role: "customer" };
    expect(customerNoticeOf(changed("rework", "the lid does not close", customer))).toMatchObject({ status: "rework", reason: "the lid does not close" });
  });
});

describe("what a marketplace's customer is told of a cancellation (ADR 022, twenty-eighth-session addendum)", () => {
  const staff = { kind: "staff" as const, id: "staff-li", role: "store-manager" };
  const staffWords = "customer shouted at Li, do not serve again";
  const cancelled = (reasonCode: string | undefined, reason = staffWords, actor: Actor = staff) =>
    newEvent(EventTypes.OrderCancelled, { reason, refundDue: true, reasonCode }, { ...origin, actor });

  it("is the cancellation with its reason code from the closed list, never the words staff typed", () => {
    const event = cancelled("out-of-stock");
    const notice = customerNoticeOf(event);
    expect(notice).toMatchObject({ eventId: event.eventId, status: "cancelled", reasonCode: "out-of-stock", reason: "" });
    expect(JSON.stringify(notice)).not.toContain("Li");
    expect(customerNoticeOf(cancelled("credit-refused", "credit refused: two invoices 90 days overdue", origin.actor))).toMatchObject({ reasonCode: "credit-refused", reason: "" });
  });

  it("is told once, by the cancellation: the status change to cancelled before it carries no code and is passed over", () => {
    const changed = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus: "cancelled", reason: staffWords, carrier: "", trackingNumber: "", holdReason: "" }, { ...origin, actor: staff });
    expect(customerNoticeOf(changed)).toBeUndefined();
  });

  it("carries no code when the event predates the list, and keeps a customer's own words on their own cancellation", () => {
    expect(customerNoticeOf(cancelled(""))).toMatchObject({ status: "cancelled", reasonCode: "", reason: "" });
    expect(customerNoticeOf(cancelled(undefined))).toMatchObject({ status: "cancelled", reasonCode: "" });
    const customer = { kind: "customer" as const, id: "c-1", role: "customer" };
    expect(customerNoticeOf(cancelled("customer-asked", "ordered the wrong size", customer))).toMatchObject({ reasonCode: "customer-asked", reason: "ordered the wrong size" });
  });
});
