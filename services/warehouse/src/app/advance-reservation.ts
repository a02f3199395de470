import type pg from "pg";
import { EventTypes, newEvent, type Actor, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import { reservationRepository } from "../adapters/pg/reservation-repository.ts";
import { stockRepository } from "../adapters/pg/stock-repository.ts";
import type { Reservation } from "../domain/reservation.ts";
import type { AllocatedLine } from "../domain/allocation.ts";
import { decideShipment, evolveShipment, takesOutOfStock, type ShipmentCommand, type ShipmentEvent } from "../domain/shipment.ts";
import type { StepTaken } from "../domain/step-deadlines.ts";
import { followStepDeadlines, type ShipmentDeadlines } from "./step-deadlines.ts";

/** Who and what caused a step; the reservation supplies its order and store. */
export type StepCause = Omit<EventOrigin, "orderId" | "storeId" | "producer">;

/**
 * The one way a reservation moves towards the customer, in the caller's transaction: for
 * a step that moves stock, decide on the reservation as read (an illegal step fails
 * before anything is locked), lock its stock rows, then its own row; for any other, lock
 * its row at once. Then decide on what is locked and write the step, the stock movements
 * and the events. Returns the reservation as it is now.
 *
 * Stock rows before the reservation row: a shipment holding the stock and waiting for
 * the reservation can then never wait for a transaction that waits for that stock.
 * Asking for the shipment, picking and packing touch no stock; they lock the reservation
 * alone and wait for nothing after (so a clerk's pick never queues behind a batch's locks).
 */
export async function advanceReservation(
  tx: pg.ClientBase,
  outbox: EventAppender,
  command: ShipmentCommand,
  cause: StepCause,
  deadlines: ShipmentDeadlines,
): Promise<Reservation> {
  const locked = movesStock(command) ? await lockStockThenReservation(tx, command) : await lockReservation(tx, command);
  const decided = decideShipment(command, locked);
  const current = locked!; // decideShipment refused an unknown reservation
  // A step already taken stays taken (states only move forward): nothing to do.
  if (decided.length === 0) return current;
  const steps = newStepWrites();
  const next = await takeSteps(tx, current, decided, cause, steps);
  await writeSteps(tx, steps, deadlines);
  await outbox.append(tx, steps.announced);
  return next;
}

/** The steps taken so far, to write in one go: each reservation step, and what the rest of the system hears. */
export interface StepWrites {
  written: { next: Reservation; actor: Actor; detail: string }[];
  announced: OrderEvent[];
  /** Each step with the reservation it left, for the time nodes it starts and meets. */
  taken: StepTaken[];
  /** The chain each reservation's last step belongs to. */
  correlations: Map<string, string>;
}

export const newStepWrites = (): StepWrites => ({ written: [], announced: [], taken: [], correlations: new Map() });

/**
 * Writes the steps taken: the reservations and their steps in one statement, then the
 * time nodes they start and meet (step-deadlines.ts). The caller appends `announced`.
 */
export async function writeSteps(tx: pg.ClientBase, steps: StepWrites, deadlines: ShipmentDeadlines): Promise<void> {
  await reservationRepository.advanceMany(tx, steps.written);
  await followStepDeadlines(tx, steps.taken, (reservationId) => steps.correlations.get(reservationId) ?? "", deadlines);
}

/**
 * Moves a (locked) reservation through the decided events: the units a step takes out of
 * stock leave it now (their rows are locked already), the steps and their announcements
 * are added to `steps` for the caller to write. Returns the reservation as it is after.
 */
export async function takeSteps(tx: pg.ClientBase, current: Reservation, decided: readonly ShipmentEvent[], cause: StepCause, steps: StepWrites): Promise<Reservation> {
  let next = current;
  const origin: EventOrigin = { ...cause, producer: "warehouse", orderId: current.orderId, storeId: current.storeId };
  for (const event of decided) {
    next = evolveShipment(next, event);
    if (takesOutOfStock(event)) {
      await stockRepository.ship(tx, next.storeId, event.lines, {
        orderId: next.orderId,
        reservationId: next.reservationId,
        reason: movementReasonOf(event),
        actor: cause.actor,
      });
    }
    const announced = contractEventsOf(event, origin);
    steps.written.push({ next, actor: cause.actor, detail: detailOf(event) });
    steps.announced.push(...announced);
    steps.taken.push({ event, after: next });
    // The chain the step's announcement is on (a clerk who named none starts one with it).
    steps.correlations.set(next.reservationId, announced[0]?.correlationId || cause.correlationId || "");
  }
  return next;
}

/** A step that touches no stock locks the reservation's row at once: one read. */
function lockReservation(tx: pg.ClientBase, command: ShipmentCommand): Promise<Reservation | undefined> {
  return reservationRepository.find(tx, command.reservationId, { lock: true });
}

/** Shipping needs the stock rows first: read the reservation to know them, lock them, then lock its row. */
async function lockStockThenReservation(tx: pg.ClientBase, command: ShipmentCommand): Promise<Reservation | undefined> {
  const seen = await reservationRepository.find(tx, command.reservationId, { lock: false });
  if (decideShipment(command, seen).length === 0) return seen;
  await stockRepository.lockForSkus(tx, seen!.storeId, seen!.lines.map((l) => l.sku));
  return reservationRepository.find(tx, command.reservationId, { lock: true });
}

/** Shipping and the counter hand-over take goods out of stock; the other steps change the reservation only. */
function movesStock(command: ShipmentCommand): boolean {
  return command.type !== "RequestShipment" && command.type !== "PickReservation" && command.type !== "PackReservation";
}

/** Why the units left stock, as the stock movements say. */
export function movementReasonOf(event: Extract<ShipmentEvent, { lines: AllocatedLine[] }>): string {
  return event.type === "HandedOver" ? "handed over at the counter" : `shipped with ${event.carrier}, tracking ${event.trackingNumber}`;
}

export function detailOf(event: ShipmentEvent): string {
  switch (event.type) {
    case "ShipmentRequested":
      return `fulfillment method ${event.fulfillmentMethod}`;
    case "ShipmentPicked":
    case "HandedOver":
      return "";
    case "ShipmentPacked":
      return `${event.parcels} parcel(s), label ${event.label}`;
    case "ShipmentDispatched":
      return `${event.carrier} ${event.trackingNumber}`;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

/**
 * What the rest of the system hears. The shipment request and the hand-over announce
 * nothing: the first is fulfillment's own request, the second follows its DeliveryRecorded.
 */
export function contractEventsOf(event: ShipmentEvent, origin: EventOrigin): OrderEvent[] {
  switch (event.type) {
    case "ShipmentRequested":
    case "HandedOver":
      return [];
    case "ShipmentPicked":
      return [newEvent(EventTypes.ShipmentPicked, { reservationId: event.reservationId }, origin)];
    case "ShipmentPacked":
      return [newEvent(EventTypes.ShipmentPacked, { reservationId: event.reservationId, parcels: event.parcels, label: event.label }, origin)];
    case "ShipmentDispatched": {
      const { shipmentId, reservationId, carrier, trackingNumber } = event;
      return [newEvent(EventTypes.ShipmentDispatched, { shipmentId, reservationId, carrier, trackingNumber }, origin)];
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}
