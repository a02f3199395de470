import { describe, expect, it } from "vitest";
import { EventTypes, newEvent } from "@oms/contracts";
import { commandFor } from "./record-downstream-event.ts";

const settings = { acceptancePeriodHours: 72, pickupHoldHours: 72 };
const origin = { producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: { kind: "staff" as const, id: "w-1", role: "warehouse-clerk" } };
const lines = [{ sku: "KETTLE", quantity: 1, location: "A-1" }];

/**
 * An exchange's replacement (ADR 030) goes on the order's timeline only: the order's own goods
 * were delivered before, so it takes no saga step — no status change, and so no status pushed to
 * a marketplace (intake pushes only fulfillment's status events).
 */
describe("an exchange's replacement on the order", () => {
  it("moves no order, whatever the warehouse says of it", () => {
    const events = [
      newEvent(EventTypes.ReplacementReserved, { caseId: "case-1", lines }, origin),
      newEvent(EventTypes.ReplacementAwaitingStock, { caseId: "case-1", lines, short: [{ sku: "KETTLE", requested: 1, available: 0, expectedRestockDate: "" }] }, origin),
      newEvent(EventTypes.ReplacementPicked, { caseId: "case-1", lines }, origin),
      newEvent(EventTypes.ReplacementPacked, { caseId: "case-1", parcels: 1, label: "store-1-ABCD0123-1" }, origin),
      newEvent(EventTypes.ReplacementShipped, { caseId: "case-1", carrier: "SF Express", trackingNumber: "SF1", lines }, origin),
      newEvent(EventTypes.ReplacementCalledOff, { caseId: "case-1", reason: "refund instead", sealedReason: Buffer.alloc(0), released: 1, lines }, origin),
      newEvent(EventTypes.ReplacementMoved, { caseId: "case-1", fromStoreId: "store-1", toStoreId: "store-2", reason: "store 2 has it", sealedReason: Buffer.alloc(0), lines }, { ...origin, storeId: "store-2" }),
      newEvent(EventTypes.ReplacementShipOverdue, { caseId: "case-1", level: 1, dueAt: "2030-01-15T10:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-1", step: "ship" }, origin),
      newEvent(EventTypes.ReplacementRestockExpected, { caseId: "case-1", sku: "KETTLE", expectedRestockDate: "2030-01-15", short: [{ sku: "KETTLE", requested: 1, available: 0, expectedRestockDate: "2030-01-15" }] }, origin),
    ];
    for (const event of events) expect(commandFor(event, settings), event.type).toBeUndefined();
    // Unlike an order's own parcel, which moves it to shipped.
    expect(commandFor(newEvent(EventTypes.ShipmentDispatched, { shipmentId: "s-1", reservationId: "o-1/reservation/1", carrier: "SF Express", trackingNumber: "SF2" }, origin), settings)).toMatchObject({ stage: "shipped" });
  });
});
