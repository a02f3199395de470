import { describe, expect, it } from "vitest";
import { EventTypes, newEvent, systemActor, type Actor } from "@oms/contracts";
import { customersMaySee, isTimelineKind, timelineKinds } from "../domain/timeline-kinds.ts";
import { restockEntryOf, timelineEntryOf } from "./timeline-entries.ts";

// ADR 022, twenty-seventh-session addendum: every step carries its kind, and a step customers see the facts their wording is built from.
const staff: Actor = { kind: "staff", id: "cs-1", role: "customer-service" };
const origin = (producer: string, actor: Actor = systemActor(producer)) => ({ producer, orderId: "o-1", storeId: "store-1", actor });

describe("the kind of each step on an order's timeline", () => {
  it("keeps the store's own working for staff: overdue warnings naming roles, escalations, invoices, credit, reconciliation, assignment", () => {
    const internal = [
      newEvent(EventTypes.StepOverdue, { taskId: "t-1", step: "acknowledge", staffId: "r-7", level: 2, dueAt: "2026-12-07T10:00:00.000Z", escalatedTo: ["store-manager"] }, origin("dispatch")),
      newEvent(EventTypes.ShipmentStepOverdue, { reservationId: "o-1/r", step: "pack", level: 1, dueAt: "2026-12-07T10:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-1" }, origin("warehouse")),
      newEvent(EventTypes.OrderEscalated, { level: 1, reason: "not confirmed after 24 h", escalatedTo: "store-manager" }, origin("fulfillment")),
      newEvent(EventTypes.InvoiceIssued, { invoiceNumber: "INV-1", kind: "standard", corrects: "", refundId: "", issuedAt: "2026-12-07T10:00:00.000Z" } as never, origin("billing")),
      newEvent(EventTypes.CreditDecided, { customerId: "c-42", approved: true, reason: "limit 5000" } as never, origin("billing", { kind: "staff", id: "f-3", role: "finance" })),
      newEvent(EventTypes.ReconciliationDifferenceFound, { kind: "closed-without-invoice" } as never, origin("billing")),
      newEvent(EventTypes.TaskAssigned, { taskId: "t-1", assignmentId: "a-1", staffId: "r-7", acknowledgeBy: "", fencingToken: 1 }, origin("dispatch")),
    ];
    for (const event of internal) {
      const entry = timelineEntryOf(event);
      expect(customersMaySee(entry.kind), `${entry.what} (${entry.kind})`).toBe(false);
      expect(entry.facts, entry.what).toEqual({});
    }
    expect(internal.map((e) => timelineEntryOf(e).kind)).toEqual(["step-overdue", "step-overdue", "escalation", "invoice", "credit", "reconciliation", "staff-task"]);
  });

  it("tells a cancellation to the customer by its reason code, never the canceller's words, which stay staff's detail", () => {
    const cancelled = timelineEntryOf(newEvent(EventTypes.OrderCancelled, { reason: "rude on the phone, blacklisted", reasonCode: "store-decision", refundDue: true }, origin("fulfillment", staff)));
    expect(cancelled).toMatchObject({ what: "order.cancellation", kind: "order-cancelled", detail: "rude on the phone, blacklisted", facts: { reasonCode: "store-decision" } });
    expect(customersMaySee(cancelled.kind)).toBe(true);
    expect(JSON.stringify(cancelled.facts)).not.toContain("rude");
    // Published before the list existed: no code, which the customer's view tells as a plain cancellation.
    expect(timelineEntryOf(newEvent(EventTypes.OrderCancelled, { reason: "changed their mind", refundDue: false }, origin("fulfillment", staff))).facts).toEqual({ reasonCode: "" });
  });

  it("keeps the customer's facts of a step and none of its staff: a tracking number, a status, how a delivery was proven but not by whom", () => {
    const dispatched = timelineEntryOf(newEvent(EventTypes.ShipmentDispatched, { shipmentId: "s-1", reservationId: "o-1/r", carrier: "SF Express", trackingNumber: "SF1" }, origin("warehouse")));
    expect(dispatched).toMatchObject({ kind: "shipment-dispatched", facts: { carrier: "SF Express", trackingNumber: "SF1" } });
    const assigned = timelineEntryOf(
      newEvent(EventTypes.OrderStatusChanged, { fromStatus: "reserved", toStatus: "assigned", reason: "assigned to r-7", carrier: "", trackingNumber: "", holdReason: "" } as never, origin("fulfillment")),
    );
    expect(assigned).toMatchObject({ kind: "order-status-changed", facts: { status: "assigned" }, detail: "assigned to r-7" });
    // A customer's own words on their step are theirs to read: a refused delivery's reasons.
    const refused = timelineEntryOf(
      newEvent(EventTypes.OrderStatusChanged, { fromStatus: "delivered", toStatus: "rework", reason: "the lid is cracked", carrier: "", trackingNumber: "", holdReason: "" } as never, origin("fulfillment", { kind: "customer", id: "c-42", role: "customer" })),
    );
    expect(refused.facts).toEqual({ status: "rework", customersWords: "the lid is cracked" });
    const delivered = timelineEntryOf(
      newEvent(
        EventTypes.DeliveryRecorded,
        { deliveredAt: "2026-12-07T10:00:00.000Z", place: "front door", method: "courier", deliveredBy: "r-7", proofKind: "signature", proofRef: "sig-1", collectedMinor: 0, reservationId: "", taskId: "" },
        origin("fulfillment", { kind: "staff", id: "r-7", role: "rider" }),
      ),
    );
    expect(delivered).toMatchObject({ kind: "delivery-recorded", facts: { method: "courier", proofKind: "signature" } });
    expect(JSON.stringify(delivered.facts)).not.toContain("r-7");
  });

  it("keeps a step of an event it has no words for from customers: its kind is unknown", () => {
    const unheard = timelineEntryOf({ ...newEvent(EventTypes.OrderCreated, {} as never, origin("fulfillment")), type: "oms.some.new-thing" as never });
    expect(unheard).toMatchObject({ what: "oms.some.new-thing", kind: "unknown", facts: {} });
    expect(customersMaySee(unheard.kind)).toBe(false);
  });

  it("words a store's restock date for a waiting order by its SKU and date", () => {
    const told = restockEntryOf(newEvent(EventTypes.RestockExpected, { sku: "KETTLE-1", expectedRestockDate: "2026-12-20", reason: "supplier" } as never, origin("warehouse", staff)), "o-1");
    expect(told).toMatchObject({ kind: "restock-expected", facts: { sku: "KETTLE-1", expectedRestockDate: "2026-12-20" } });
  });
});

describe("the closed set of kinds", () => {
  it("lets customers see only the kinds it lists for them: not unknown, not a kind outside the set", () => {
    expect(isTimelineKind("unknown")).toBe(true);
    expect(customersMaySee("unknown")).toBe(false);
    expect(customersMaySee("order-cancelled")).toBe(true);
    expect(customersMaySee("made-up")).toBe(false);
    expect(customersMaySee("toString")).toBe(false);
    expect(timelineKinds.filter(customersMaySee)).not.toContain("invoice");
  });
});
