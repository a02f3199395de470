import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { allocate, type AllocatedLine, type RequestedLine, type ShortLine } from "./allocation.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * A reservation: stock of a store promised to one order, line by line and location by
 * location. Pure: the adapter loads (and locks) the stock the command needs and passes
 * it in, so the decision is deterministic and testable without a database.
 */

/**
 * reserved → ready-to-pick (fulfillment asked for the shipment) → picked → packed →
 * shipped (a carrier took it) or handed-over (picked up at the counter); released
 * from any status before the goods left. See shipment.ts for the way out.
 */
export type ReservationStatus = "reserved" | "ready-to-pick" | "picked" | "packed" | "shipped" | "handed-over" | "released";

export interface Reservation {
  reservationId: string;
  orderId: string;
  storeId: string;
  status: ReservationStatus;
  priority: number;
  lines: AllocatedLine[];
  /** How the goods leave the store ("ship", "pickup"); empty until fulfillment asks for the shipment. */
  fulfillmentMethod: string;
  /** Set when packed. */
  packing?: { parcels: number; label: string };
  /** Set when a carrier took the goods. */
  dispatch?: { shipmentId: string; carrier: string; trackingNumber: string };
}

/** A split order's part n is reserved under its own id, one reservation per store. */
export const partReservationIdOf = (reservationId: string, part: number) => `${reservationId}/part/${part}`;

/** The goods have left the store: nothing of the reservation can be given back any more. */
export function hasLeftStock(status: ReservationStatus): boolean {
  return status === "shipped" || status === "handed-over";
}

export interface ReserveStock {
  type: "ReserveStock";
  reservationId: string;
  orderId: string;
  storeId: string;
  priority: number;
  lines: RequestedLine[];
  /** Every location of the store holding one of the requested SKUs. */
  stock: StockAtLocation[];
}

export interface ReleaseReservation {
  type: "ReleaseReservation";
  reservationId: string;
  orderId: string;
  storeId: string;
  reason: string;
}

export type ReservationCommand = ReserveStock | ReleaseReservation;

export interface StockReserved {
  type: "StockReserved";
  reservation: Reservation;
}

/** Not enough for every line: nothing is reserved and no reservation exists, so the same id may be asked again after a restock. */
export interface StockShortage {
  type: "StockShortage";
  reservationId: string;
  lines: ShortLine[];
}

export interface StockReleased {
  type: "StockReleased";
  reservationId: string;
  orderId: string;
  storeId: string;
  reason: string;
  /** What goes back to the shelves; empty when nothing was held. */
  lines: AllocatedLine[];
}

export type ReservationEvent = StockReserved | StockShortage | StockReleased;

/** Decides what a command does to a reservation (undefined: none exists yet). */
export function decide(command: ReservationCommand, state: Reservation | undefined): ReservationEvent[] {
  switch (command.type) {
    case "ReserveStock": {
      // A reservation exists (redelivery, a re-sent request): the first answer stands.
      if (state) return [];
      assertReservable(command);
      const decision = allocate(command.lines, command.stock);
      if (decision.kind === "short") return [{ type: "StockShortage", reservationId: command.reservationId, lines: decision.lines }];
      const { reservationId, orderId, storeId, priority } = command;
      return [
        { type: "StockReserved", reservation: { reservationId, orderId, storeId, priority, status: "reserved", lines: decision.lines, fulfillmentMethod: "" } },
      ];
    }
    case "ReleaseReservation": {
      if (state?.status === "released") return [];
      if (state && hasLeftStock(state.status)) {
        throw new IllegalStateError(
          "reservation.already-shipped",
          `reservation ${command.reservationId} is ${state.status}; its stock is gone and cannot be released`,
        );
      }
      // Unknown reservation (it ended in a shortage): nothing is held, which is what the requester wants to hear.
      const { reservationId, orderId, reason } = command;
      // The stock goes back where the reservation holds it, whichever store the request names.
      const storeId = state?.storeId ?? command.storeId;
      return [{ type: "StockReleased", reservationId, orderId, storeId, reason, lines: state?.lines ?? [] }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

export function evolve(state: Reservation | undefined, event: ReservationEvent): Reservation | undefined {
  switch (event.type) {
    case "StockReserved":
      return event.reservation;
    case "StockShortage":
      return state;
    case "StockReleased":
      return {
        reservationId: event.reservationId,
        orderId: event.orderId,
        storeId: event.storeId,
        priority: state?.priority ?? 0,
        lines: state?.lines ?? [],
        fulfillmentMethod: state?.fulfillmentMethod ?? "",
        status: "released",
      };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

function assertReservable(command: ReserveStock): void {
  const fields: FieldError[] = [];
  if (!command.reservationId) fields.push({ field: "reservationId", message: "is required" });
  if (!command.storeId) fields.push({ field: "storeId", message: "is required" });
  if (command.lines.length === 0) fields.push({ field: "lines", message: "must not be empty" });
  command.lines.forEach((line, index) => {
    if (!line.sku) fields.push({ field: `lines[${index}].sku`, message: "is required" });
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      fields.push({ field: `lines[${index}].quantity`, message: `must be a positive whole number, got ${line.quantity}` });
    }
  });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "reservation.invalid-request");
}
