import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import type { Reservation, ReservationStatus } from "./reservation.ts";
import { raiseShipmentException } from "./shipment-exception.ts";

const now = new Date("2026-11-23T10:00:00Z");
const reservation = (status: ReservationStatus): Reservation => ({
  reservationId: "o-1/reservation/1",
  orderId: "o-1",
  storeId: "store-1",
  priority: 1,
  status,
  lines: [{ sku: "KETTLE", location: "A-01", quantity: 1 }],
  fulfillmentMethod: "ship",
});
const report = (kind: string, newEta = "") => ({ kind, cause: "  the lid cracked  ", newEta });

describe("raising a shipment exception", () => {
  it("tells the customer the store replaces damaged goods before they leave, and customer service steps in after", () => {
    expect(raiseShipmentException(reservation("picked"), report("damaged"), now)).toMatchObject({ kind: "damaged", cause: "the lid cracked", nextStep: expect.stringContaining("replaces the damaged item") });
    expect(raiseShipmentException(reservation("shipped"), report("damaged"), now).nextStep).toContain("claim the damage from the carrier");
  });

  it("takes loss and delay only for goods on their way, a delay with its new estimate", () => {
    expect(() => raiseShipmentException(reservation("packed"), report("lost"), now)).toThrow(IllegalStateError);
    expect(raiseShipmentException(reservation("shipped"), report("lost"), now).nextStep).toContain("replacement or refund");
    expect(raiseShipmentException(reservation("shipped"), report("delayed", "2026-11-25T18:00:00+08:00"), now)).toMatchObject({
      newEta: "2026-11-25T18:00:00+08:00",
      nextStep: "the carrier now expects to deliver by 2026-11-25T18:00:00+08:00",
    });
  });

  it("has nothing to report on for released or collected goods", () => {
    expect(() => raiseShipmentException(reservation("released"), report("damaged"), now)).toThrow(IllegalStateError);
    expect(() => raiseShipmentException(reservation("handed-over"), report("damaged"), now)).toThrow(/after-sales case/);
  });

  it("names each wrong field", () => {
    const fieldsOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ValidationError).fields.map((f) => f.field);
      }
      return [];
    };
    expect(fieldsOf(() => raiseShipmentException(reservation("shipped"), { kind: "stolen", cause: " ", newEta: "" }, now))).toEqual(["kind", "cause"]);
    expect(fieldsOf(() => raiseShipmentException(reservation("shipped"), report("delayed", "2026-11-20T00:00:00Z"), now))).toEqual(["newEta"]);
    expect(fieldsOf(() => raiseShipmentException(reservation("shipped"), report("lost", "2026-11-30T00:00:00Z"), now))).toEqual(["newEta"]);
  });
});
