import { createHash } from "node:crypto";
import { IllegalStateError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import type { AllocatedLine } from "./allocation.ts";
import type { Reservation } from "./reservation.ts";

/**
 * A reservation's way out of the store: fulfillment asks for the shipment once the order
 * has an assignee (ready-to-pick, on the store's pick list); a clerk picks, packs and
 * labels it; then a carrier takes it (shipped) or, for a pick-up order, the customer
 * takes it at the counter (handed-over). The units leave stock at that last step only.
 * Pure: who may act is checked before, and the adapter locks what the step touches.
 */

export type ShipmentCommand =
  | { type: "RequestShipment"; reservationId: string; fulfillmentMethod: string }
  | { type: "PickReservation"; reservationId: string }
  | { type: "PackReservation"; reservationId: string; parcels: number }
  | { type: "ShipReservation"; reservationId: string; carrier: string; trackingNumber: string }
  | { type: "HandOverAtCounter"; reservationId: string };

export type ShipmentEvent =
  | { type: "ShipmentRequested"; reservationId: string; fulfillmentMethod: string }
  | { type: "ShipmentPicked"; reservationId: string }
  | { type: "ShipmentPacked"; reservationId: string; parcels: number; label: string }
  | { type: "ShipmentDispatched"; reservationId: string; shipmentId: string; carrier: string; trackingNumber: string; lines: AllocatedLine[] }
  | { type: "HandedOver"; reservationId: string; lines: AllocatedLine[] };

export const PICKUP = "pickup";

export function decideShipment(command: ShipmentCommand, state: Reservation | undefined): ShipmentEvent[] {
  assertWellFormed(command);
  if (!state) throw new NotFoundError("reservation.not-found", `no reservation ${command.reservationId}`);
  const { reservationId } = command;
  switch (command.type) {
    case "RequestShipment":
      if (state.status === "released") refuse(state, "reservation.released", "there is nothing to ship");
      // Asked again (a re-sent request): the first one stands, whatever has happened since.
      if (state.status !== "reserved") return [];
      return [{ type: "ShipmentRequested", reservationId, fulfillmentMethod: command.fulfillmentMethod }];
    case "PickReservation":
      if (state.status !== "ready-to-pick") {
        refuse(state, "reservation.not-ready-to-pick", "only a reservation that is ready to pick (fulfillment asked for its shipment) can be picked");
      }
      return [{ type: "ShipmentPicked", reservationId }];
    case "PackReservation":
      if (state.status !== "picked") refuse(state, "reservation.not-picked", "only a picked reservation can be packed");
      return [{ type: "ShipmentPacked", reservationId, parcels: command.parcels, label: labelOf(state, command.parcels) }];
    case "ShipReservation": {
      if (state.fulfillmentMethod === PICKUP) {
        refuse(state, "reservation.pickup-not-shipped", "it is a pick-up order: its goods leave stock when the order is handed over at the counter");
      }
      if (state.status !== "packed") refuse(state, "reservation.not-packed", "only a packed reservation can be shipped");
      const carrier = command.carrier.trim();
      const trackingNumber = command.trackingNumber.trim();
      return [{ type: "ShipmentDispatched", reservationId, shipmentId: shipmentIdOf(reservationId), carrier, trackingNumber, lines: state.lines }];
    }
    case "HandOverAtCounter":
      if (state.fulfillmentMethod !== PICKUP || state.status === "handed-over") return [];
      if (state.status === "released" || state.status === "shipped") refuse(state, "reservation.not-held", "there is nothing to hand over");
      // The customer has the goods, picked and packed on record or not: the books follow the facts.
      return [{ type: "HandedOver", reservationId, lines: state.lines }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

export function evolveShipment(state: Reservation, event: ShipmentEvent): Reservation {
  switch (event.type) {
    case "ShipmentRequested":
      return { ...state, status: "ready-to-pick", fulfillmentMethod: event.fulfillmentMethod };
    case "ShipmentPicked":
      return { ...state, status: "picked" };
    case "ShipmentPacked":
      return { ...state, status: "packed", packing: { parcels: event.parcels, label: event.label } };
    case "ShipmentDispatched":
      return { ...state, status: "shipped", dispatch: { shipmentId: event.shipmentId, carrier: event.carrier, trackingNumber: event.trackingNumber } };
    case "HandedOver":
      return { ...state, status: "handed-over" };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

/** The step takes the reservation's units out of stock (on_hand and reserved both go down). */
export function takesOutOfStock(event: ShipmentEvent): event is Extract<ShipmentEvent, { lines: AllocatedLine[] }> {
  return event.type === "ShipmentDispatched" || event.type === "HandedOver";
}

/** One shipment per reservation, so its id follows from the reservation's. */
export const shipmentIdOf = (reservationId: string) => `${reservationId}/shipment`;

/**
 * "<store>-<8 hex of the reservation>-<parcels>": short enough to write on a box, the
 * same every time for the same reservation; the parcels are numbered 1..n under it.
 */
export function labelOf(reservation: Reservation, parcels: number): string {
  return parcelLabelOf(reservation.reservationId, reservation.storeId, parcels);
}

/** The label rule for whatever is packed at a store: an order's reservation, an exchange's replacement (by its case id). */
export function parcelLabelOf(id: string, storeId: string, parcels: number): string {
  const shortId = createHash("sha256").update(id).digest("hex").slice(0, 8).toUpperCase();
  return `${storeId}-${shortId}-${parcels}`;
}

/** What a parcel handed to a carrier must name, whatever it carries (an order's goods, an exchange's replacement). */
export function carrierFieldErrors(carrier: string, trackingNumber: string): FieldError[] {
  const fields: FieldError[] = [];
  if (!carrier.trim()) fields.push({ field: "carrier", message: "is required" });
  if (!trackingNumber.trim()) fields.push({ field: "trackingNumber", message: "is required" });
  return fields;
}

/** Every wrong field of the command at once, before anything is looked up. */
function assertWellFormed(command: ShipmentCommand): void {
  const fields: FieldError[] = [];
  if (!command.reservationId) fields.push({ field: "reservationId", message: "is required" });
  switch (command.type) {
    case "RequestShipment":
      if (!command.fulfillmentMethod) fields.push({ field: "fulfillmentMethod", message: "is required" });
      break;
    case "PackReservation":
      if (!Number.isInteger(command.parcels) || command.parcels < 1) {
        fields.push({ field: "parcels", message: `must be a whole number >= 1, got ${command.parcels}` });
      }
      break;
    case "ShipReservation":
      fields.push(...carrierFieldErrors(command.carrier, command.trackingNumber));
      break;
    case "PickReservation":
    case "HandOverAtCounter":
      break;
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${String((unknown as { type: unknown }).type)}`);
    }
  }
  if (fields.length > 0) throw new ValidationError(fields, undefined, "shipment.invalid-request");
}

function refuse(state: Reservation, code: string, why: string): never {
  throw new IllegalStateError(code, `reservation ${state.reservationId} is ${state.status}; ${why}`);
}
