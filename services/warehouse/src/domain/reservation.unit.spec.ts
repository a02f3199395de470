import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import { decide, evolve, type ReleaseReservation, type Reservation, type ReserveStock } from "./reservation.ts";

const reserve = (overrides: Partial<ReserveStock> = {}): ReserveStock => ({
  type: "ReserveStock",
  reservationId: "r-1",
  orderId: "o-1",
  storeId: "store-1",
  priority: 2,
  lines: [{ sku: "KETTLE", quantity: 2 }],
  stock: [{ sku: "KETTLE", location: "A-01", onHand: 5, reserved: 0, safetyStock: 1, expectedRestockDate: "" }],
  ...overrides,
});

const release = (overrides: Partial<ReleaseReservation> = {}): ReleaseReservation => ({
  type: "ReleaseReservation",
  reservationId: "r-1",
  orderId: "o-1",
  storeId: "store-1",
  reason: "order cancelled",
  ...overrides,
});

const reserved = (): Reservation => evolve(undefined, decide(reserve(), undefined)[0]!)!;

describe("reservation", () => {
  it("reserves every line when the stock covers them", () => {
    expect(decide(reserve(), undefined)).toEqual([
      {
        type: "StockReserved",
        reservation: {
          reservationId: "r-1",
          orderId: "o-1",
          storeId: "store-1",
          priority: 2,
          status: "reserved",
          lines: [{ sku: "KETTLE", location: "A-01", quantity: 2 }],
          fulfillmentMethod: "",
        },
      },
    ]);
  });

  it("reports a shortage and creates no reservation, so the same id can be tried again", () => {
    const events = decide(reserve({ lines: [{ sku: "KETTLE", quantity: 5 }] }), undefined);
    expect(events).toEqual([{ type: "StockShortage", reservationId: "r-1", lines: [{ sku: "KETTLE", requested: 5, available: 4, expectedRestockDate: "" }] }]);
    expect(evolve(undefined, events[0]!)).toBeUndefined();
  });

  it("changes nothing when the reservation already exists", () => {
    expect(decide(reserve({ lines: [{ sku: "KETTLE", quantity: 1 }] }), reserved())).toEqual([]);
  });

  it("refuses requests without lines, SKUs or whole positive quantities", () => {
    expect(() => decide(reserve({ lines: [] }), undefined)).toThrow(ValidationError);
    try {
      decide(reserve({ lines: [{ sku: "", quantity: 1 }, { sku: "KETTLE", quantity: 0 }, { sku: "KETTLE", quantity: 1.5 }] }), undefined);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["lines[0].sku", "lines[1].quantity", "lines[2].quantity"]);
    }
  });

  it("gives back what a reservation holds when it is released", () => {
    const [event] = decide(release(), reserved());
    expect(event).toEqual({
      type: "StockReleased",
      reservationId: "r-1",
      orderId: "o-1",
      storeId: "store-1",
      reason: "order cancelled",
      lines: [{ sku: "KETTLE", location: "A-01", quantity: 2 }],
    });
    expect(evolve(reserved(), event!)?.status).toBe("released");
  });

  it("gives the stock back at the store holding the reservation, whichever store the request names", () => {
    const [event] = decide(release({ storeId: "store-elsewhere" }), reserved());
    expect(event).toMatchObject({ type: "StockReleased", storeId: reserved().storeId, lines: reserved().lines });
    expect(reserved().storeId).not.toBe("store-elsewhere");
  });

  it("releases only once", () => {
    const released = evolve(reserved(), decide(release(), reserved())[0]!);
    expect(decide(release(), released)).toEqual([]);
  });

  it("answers a release of an unknown reservation with nothing to give back, and remembers it", () => {
    const [event] = decide(release(), undefined);
    expect(event).toMatchObject({ type: "StockReleased", lines: [] });
    const tombstone = evolve(undefined, event!);
    expect(tombstone).toMatchObject({ status: "released", lines: [] });
    expect(decide(reserve(), tombstone)).toEqual([]);
  });

  it("refuses to release a reservation whose goods have left, shipped or handed over", () => {
    expect(() => decide(release(), { ...reserved(), status: "shipped" })).toThrow(IllegalStateError);
    expect(() => decide(release(), { ...reserved(), status: "handed-over", fulfillmentMethod: "pickup" })).toThrow(/is handed-over/);
  });

  it("gives back a reservation that was picked or packed already: the goods go back to the shelves", () => {
    for (const status of ["ready-to-pick", "picked", "packed"] as const) {
      expect(decide(release(), { ...reserved(), status })).toMatchObject([{ type: "StockReleased", lines: [{ sku: "KETTLE", quantity: 2 }] }]);
    }
  });
});
