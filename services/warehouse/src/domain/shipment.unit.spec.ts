import { describe, expect, it } from "vitest";
import { IllegalStateError, NotFoundError, ValidationError } from "@oms/errors";
import type { Reservation, ReservationStatus } from "./reservation.ts";
import { decideShipment, evolveShipment, labelOf, type ShipmentCommand } from "./shipment.ts";

const lines = [
  { sku: "KETTLE", location: "A-01", quantity: 2 },
  { sku: "VASE", location: "C-01", quantity: 1 },
];

const reservation = (status: ReservationStatus = "reserved", fulfillmentMethod = ""): Reservation => ({
  reservationId: "o-1/reservation/1",
  orderId: "o-1",
  storeId: "store-1",
  priority: 1,
  status,
  lines,
  fulfillmentMethod,
});

const request = (fulfillmentMethod = "ship"): ShipmentCommand => ({ type: "RequestShipment", reservationId: "o-1/reservation/1", fulfillmentMethod });
const pick: ShipmentCommand = { type: "PickReservation", reservationId: "o-1/reservation/1" };
const pack = (parcels = 2): ShipmentCommand => ({ type: "PackReservation", reservationId: "o-1/reservation/1", parcels });
const ship = (carrier = "SF Express", trackingNumber = "SF123"): ShipmentCommand => ({
  type: "ShipReservation",
  reservationId: "o-1/reservation/1",
  carrier,
  trackingNumber,
});
const handOver: ShipmentCommand = { type: "HandOverAtCounter", reservationId: "o-1/reservation/1" };

/** Runs the commands from `start`, as the application does: decide, then evolve with what was decided. */
function run(start: Reservation, ...commands: ShipmentCommand[]): Reservation {
  return commands.reduce((state, command) => decideShipment(command, state).reduce(evolveShipment, state), start);
}

function refusal(command: ShipmentCommand, state: Reservation | undefined): Error {
  try {
    decideShipment(command, state);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the command to be refused");
}

describe("shipment", () => {
  it("goes reserved → ready-to-pick → picked → packed → shipped, and the units leave at the end only", () => {
    const ready = run(reservation(), request());
    expect(ready).toMatchObject({ status: "ready-to-pick", fulfillmentMethod: "ship" });
    expect(decideShipment(pick, ready)).toEqual([{ type: "ShipmentPicked", reservationId: "o-1/reservation/1" }]);
    const picked = run(ready, pick);
    expect(decideShipment(pack(2), picked)).toEqual([
      { type: "ShipmentPacked", reservationId: "o-1/reservation/1", parcels: 2, label: labelOf(picked, 2) },
    ]);
    const packed = run(picked, pack(2));
    expect(packed.packing).toEqual({ parcels: 2, label: labelOf(picked, 2) });
    expect(decideShipment(ship(" SF Express ", "SF123"), packed)).toEqual([
      {
        type: "ShipmentDispatched",
        reservationId: "o-1/reservation/1",
        shipmentId: "o-1/reservation/1/shipment",
        carrier: "SF Express",
        trackingNumber: "SF123",
        lines,
      },
    ]);
    expect(run(packed, ship())).toMatchObject({
      status: "shipped",
      dispatch: { shipmentId: "o-1/reservation/1/shipment", carrier: "SF Express", trackingNumber: "SF123" },
    });
  });

  it("labels a reservation the same way every time: store, a short id of the reservation, the parcels", () => {
    expect(labelOf(reservation(), 3)).toMatch(/^store-1-[0-9A-F]{8}-3$/);
    expect(labelOf(reservation(), 3)).toBe(labelOf(reservation(), 3));
    expect(labelOf({ ...reservation(), reservationId: "o-1/reservation/2" }, 3)).not.toBe(labelOf(reservation(), 3));
  });

  it("changes nothing when the shipment is requested again, at any later step", () => {
    for (const status of ["ready-to-pick", "picked", "packed", "shipped"] as const) {
      expect(decideShipment(request("pickup"), reservation(status, "ship"))).toEqual([]);
    }
  });

  it("refuses every step out of order, naming the reservation's status", () => {
    const cases: [ShipmentCommand, ReservationStatus, string][] = [
      [pick, "reserved", "reservation.not-ready-to-pick"],
      [pick, "picked", "reservation.not-ready-to-pick"],
      [pack(), "ready-to-pick", "reservation.not-picked"],
      [pack(), "packed", "reservation.not-picked"],
      [ship(), "picked", "reservation.not-packed"],
      [ship(), "shipped", "reservation.not-packed"],
      [pick, "released", "reservation.not-ready-to-pick"],
      [request(), "released", "reservation.released"],
    ];
    for (const [command, status, code] of cases) {
      const error = refusal(command, reservation(status, "ship"));
      expect(error).toBeInstanceOf(IllegalStateError);
      expect(error).toMatchObject({ code, message: expect.stringContaining(`reservation o-1/reservation/1 is ${status};`) });
    }
  });

  it("refuses bad fields, naming each of them, before looking at the reservation", () => {
    expect(refusal({ type: "ShipReservation", reservationId: "", carrier: " ", trackingNumber: "" }, undefined)).toMatchObject({
      fields: [
        { field: "reservationId", message: "is required" },
        { field: "carrier", message: "is required" },
        { field: "trackingNumber", message: "is required" },
      ],
    });
    for (const parcels of [0, -1, 1.5]) expect(refusal(pack(parcels), reservation("picked"))).toBeInstanceOf(ValidationError);
    expect(refusal(request(""), reservation())).toMatchObject({ fields: [{ field: "fulfillmentMethod" }] });
  });

  it("does not know a reservation that does not exist", () => {
    expect(refusal(pick, undefined)).toBeInstanceOf(NotFoundError);
  });

  it("never ships a pick-up order; its units leave stock when it is handed over at the counter", () => {
    const packed = run(reservation("reserved"), request("pickup"), pick, pack(1));
    expect(refusal(ship(), packed)).toMatchObject({ code: "reservation.pickup-not-shipped", message: expect.stringContaining("is packed; it is a pick-up order") });
    expect(decideShipment(handOver, packed)).toEqual([{ type: "HandedOver", reservationId: "o-1/reservation/1", lines }]);
    const handedOver = run(packed, handOver);
    expect(handedOver.status).toBe("handed-over");
    expect(decideShipment(handOver, handedOver)).toEqual([]);
  });

  it("books a hand-over that happened before picking or packing was recorded: the customer has the goods", () => {
    expect(run(reservation("ready-to-pick", "pickup"), handOver).status).toBe("handed-over");
  });

  it("ignores a hand-over for an order that is not picked up, and refuses one for stock given back", () => {
    expect(decideShipment(handOver, reservation("shipped", "ship"))).toEqual([]);
    expect(decideShipment(handOver, reservation("packed", "ship"))).toEqual([]);
    expect(refusal(handOver, reservation("released", "pickup"))).toBeInstanceOf(IllegalStateError);
  });
});
