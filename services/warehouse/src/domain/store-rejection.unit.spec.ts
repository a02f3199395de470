import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import type { Reservation, ReservationStatus } from "./reservation.ts";
import { assertRejectable } from "./store-rejection.ts";

const reservation = (status: ReservationStatus): Reservation => ({
  reservationId: "o-1/reservation/1",
  orderId: "o-1",
  storeId: "store-1",
  priority: 0,
  status,
  lines: [{ sku: "KETTLE", location: "A-01", quantity: 1 }],
  fulfillmentMethod: "ship",
});

describe("a store turning a routed order down", () => {
  it("is possible until the goods are packed, with a reason", () => {
    for (const status of ["reserved", "ready-to-pick", "picked"] as const) expect(assertRejectable(reservation(status), true, " dented ")).toBe("dented");
    for (const status of ["packed", "shipped", "handed-over", "released"] as const) {
      expect(() => assertRejectable(reservation(status), true, "dented")).toThrow(IllegalStateError);
    }
    expect(() => assertRejectable(reservation("reserved"), true, "  ")).toThrow(ValidationError);
  });

  it("is not for an order routing did not send: that one is cancelled instead", () => {
    expect(() => assertRejectable(reservation("reserved"), false, "dented")).toThrow(expect.objectContaining({ code: "reservation.not-routed" }));
  });
});
