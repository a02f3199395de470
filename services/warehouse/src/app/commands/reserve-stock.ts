import type pg from "pg";
import { EventTypes, newEvent, originFrom, type Actor, type OrderEventOf } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import type { ShortLine } from "../../domain/allocation.ts";
import { decide, partReservationIdOf, type Reservation } from "../../domain/reservation.ts";
import { routeOrder, type CandidateVerdict, type RoutingDecision } from "../../domain/routing.ts";
import type { ReservationBatch } from "../reservation-batch.ts";

export type ReservationRequest = OrderEventOf<typeof EventTypes.StockReservationRequested>;

/**
 * Fulfillment asks to reserve an order's lines: all of them or none. A routed order (a
 * ship order) goes to the store the chain's rules choose (domain/routing.ts); any other
 * is reserved in its own store. The decision is made on the stock as the batch holds it
 * (app/reservation-batch.ts): usually read without locks, with only the rows booked locked
 * at the end under the booking's guard, so a batch that lost a race for the last units is
 * applied again and sees what the other one took; a batch that also releases or hands over
 * stock locks every row it may touch before deciding.
 */
export async function reserveStock(
  tx: pg.ClientBase,
  outbox: EventAppender,
  request: ReservationRequest,
  logger: Logger,
  batch: ReservationBatch,
): Promise<void> {
  const { payload } = request;
  if (await batch.exists(tx, payload.reservationId)) {
    // A reservation exists (redelivery, a re-sent request): the first answer stands.
    logger.info({ reservationId: payload.reservationId }, "reservation exists already; request ignored");
    return;
  }
  const lines = payload.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
  const route = payload.route ? await routeOf(tx, request, lines, batch) : undefined;
  if (route?.decision.kind === "queued") {
    logger.info({ reservationId: payload.reservationId, reason: route.decision.reason }, "no store can serve the order now; it waits in the queue");
    const short = await shortLinesAcrossChain(tx, route.storeIds, lines, route.availability);
    await outbox.append(tx, [
      newEvent(EventTypes.StockShortage, { reservationId: payload.reservationId, lines: short, routing: notesOf(route.decision.considered) }, originFrom(request, "warehouse")),
    ]);
    return;
  }
  if (route?.decision.kind === "routed" && route.decision.allocations.length > 1) {
    await reserveSplit(tx, outbox, request, route.decision, batch, logger);
    return;
  }
  const storeId = route?.decision.kind === "routed" ? route.decision.allocations[0]!.storeId : request.storeId;
  const stock = await batch.stockOf(tx, storeId, lines.map((l) => l.sku));
  const events = decide({ type: "ReserveStock", reservationId: payload.reservationId, orderId: request.orderId, storeId, priority: payload.priority, lines, stock }, undefined);
  // Events about the reservation belong to the store that holds it.
  const origin = { ...originFrom(request, "warehouse"), storeId };
  const routing = route ? notesOf(route.decision.considered) : [];
  for (const event of events) {
    switch (event.type) {
      case "StockReserved": {
        const { reservation } = event;
        const reason = route ? `routed to ${storeId} and reserved for the order` : "reserved for the order";
        book(batch, reservation, { reason, actor: request.actor, routed: route !== undefined });
        await outbox.append(tx, [newEvent(EventTypes.StockReserved, { reservationId: reservation.reservationId, lines: reservation.lines, routing, parts: [] }, origin)]);
        break;
      }
      case "StockShortage":
        logger.info({ reservationId: event.reservationId, skus: event.lines.map((l) => l.sku) }, "stock short; nothing reserved");
        await outbox.append(tx, [newEvent(EventTypes.StockShortage, { reservationId: event.reservationId, lines: event.lines, routing }, origin)]);
        break;
      case "StockReleased":
        throw new Error("a reservation request never releases stock");
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
      }
    }
  }
}

/** Takes the reservation's units off the shelves' free stock (with the ledger's who and why) and records it, in the batch's writes. */
function book(batch: ReservationBatch, reservation: Reservation, how: { reason: string; actor: Actor; routed: boolean }): void {
  const { orderId, reservationId } = reservation;
  batch.book(reservation, { orderId, reservationId, reason: how.reason, actor: how.actor }, how.routed);
}

/**
 * Routing split the order over several stores (the order allows it): one reservation per
 * store, all or none. Every part is decided before any stock moves, so the books change
 * only if each store can give its part; otherwise the order waits as a shortage.
 */
async function reserveSplit(
  tx: pg.ClientBase,
  outbox: EventAppender,
  request: ReservationRequest,
  decision: Extract<RoutingDecision, { kind: "routed" }>,
  batch: ReservationBatch,
  logger: Logger,
): Promise<void> {
  const { payload } = request;
  const routing = notesOf(decision.considered);
  const parts: Reservation[] = [];
  for (const [index, allocation] of decision.allocations.entries()) {
    const stock = await batch.stockOf(tx, allocation.storeId, allocation.lines.map((l) => l.sku));
    const reservationId = partReservationIdOf(payload.reservationId, index + 1);
    const [event] = decide(
      { type: "ReserveStock", reservationId, orderId: request.orderId, storeId: allocation.storeId, priority: payload.priority, lines: allocation.lines, stock },
      undefined,
    );
    if (event?.type !== "StockReserved") {
      const short = event?.type === "StockShortage" ? event.lines : [];
      logger.info({ reservationId: payload.reservationId, storeId: allocation.storeId }, "a store of the split came up short; nothing reserved");
      await outbox.append(tx, [newEvent(EventTypes.StockShortage, { reservationId: payload.reservationId, lines: short, routing }, originFrom(request, "warehouse"))]);
      return;
    }
    parts.push(event.reservation);
  }
  for (const reservation of parts) {
    book(batch, reservation, { reason: `routed to ${reservation.storeId} as part of a split order`, actor: request.actor, routed: true });
  }
  logger.info({ reservationId: payload.reservationId, stores: parts.map((p) => p.storeId) }, "order split over stores");
  // The envelope names the store of the first part; each part names its own.
  const origin = { ...originFrom(request, "warehouse"), storeId: parts[0]!.storeId };
  await outbox.append(tx, [
    newEvent(
      EventTypes.StockReserved,
      {
        reservationId: payload.reservationId,
        lines: parts.flatMap((p) => p.lines),
        routing,
        parts: parts.map((p) => ({ reservationId: p.reservationId, storeId: p.storeId, lines: p.lines })),
      },
      origin,
    ),
  ]);
}

interface Route {
  decision: RoutingDecision;
  storeIds: string[];
  availability: Map<string, Map<string, number>>;
}

/** Where the chain's rules send the order now, from the free stock as the batch sees it (its own bookings taken off). */
async function routeOf(tx: pg.ClientBase, request: ReservationRequest, lines: { sku: string; quantity: number }[], batch: ReservationBatch): Promise<Route | undefined> {
  const rules = await batch.rulesOf(tx);
  // A chain that has configured no routing serves each order from the store that took it.
  if (rules.stores.length === 0) return undefined;
  const storeIds = rules.stores.map((s) => s.storeId);
  const availability = await batch.availabilityOf(tx, storeIds, lines.map((l) => l.sku));
  const decision = routeOrder(
    {
      orderId: request.orderId,
      district: request.payload.district,
      fulfillmentMethod: "ship",
      lines,
      // Lines ship separately only when the customer or the store's rule allows it.
      splitAllowed: request.payload.splitAllowed,
      excludedStoreIds: request.payload.excludedStoreIds,
    },
    rules,
    availability,
  );
  return { decision, storeIds, availability };
}

/** The timeline's account of the attempt: each store and why it was chosen or passed over. */
function notesOf(considered: readonly CandidateVerdict[]): string[] {
  return considered.map((c) => `${c.storeId}: ${c.reason}`);
}

/** For a queued order, per line: the most one store could give now, and the soonest restock date on record. */
async function shortLinesAcrossChain(
  tx: pg.ClientBase,
  storeIds: readonly string[],
  lines: { sku: string; quantity: number }[],
  availability: Map<string, Map<string, number>>,
): Promise<ShortLine[]> {
  const restock = await stockRepository.soonestRestockDates(tx, storeIds, lines.map((l) => l.sku));
  return lines.map((line) => ({
    sku: line.sku,
    requested: line.quantity,
    available: Math.max(0, ...storeIds.map((id) => availability.get(id)?.get(line.sku) ?? 0)),
    expectedRestockDate: restock.get(line.sku) ?? "",
  }));
}
