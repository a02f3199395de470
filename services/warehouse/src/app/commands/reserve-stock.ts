import type pg from "pg";
import { EventTypes, newEvent, originFrom, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { decide } from "../../domain/reservation.ts";

/**
 * Fulfillment asks to reserve an order's lines in its store: all of them or none. The
 * stock rows are locked before deciding, so replicas handling other orders for the last
 * units queue behind each other and the second one sees what the first one took.
 */
export async function reserveStock(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  request: OrderEventOf<typeof EventTypes.StockReservationRequested>,
  logger: Logger,
): Promise<void> {
  const { payload } = request;
  const existing = await reservationRepository.find(tx, payload.reservationId, { lock: false });
  const lines = payload.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
  const stock = existing ? [] : await stockRepository.lockForSkus(tx, request.storeId, lines.map((l) => l.sku));
  const events = decide(
    {
      type: "ReserveStock",
      reservationId: payload.reservationId,
      orderId: request.orderId,
      storeId: request.storeId,
      priority: payload.priority,
      lines,
      stock,
    },
    existing,
  );
  const origin = originFrom(request, "warehouse");
  for (const event of events) {
    switch (event.type) {
      case "StockReserved": {
        const { reservation } = event;
        await stockRepository.reserve(tx, reservation.storeId, reservation.lines, {
          orderId: reservation.orderId,
          reservationId: reservation.reservationId,
          reason: "reserved for the order",
          actor: request.actor,
        });
        await reservationRepository.insert(tx, reservation);
        await outbox.append(tx, [newEvent(EventTypes.StockReserved, { reservationId: reservation.reservationId, lines: reservation.lines }, origin)]);
        break;
      }
      case "StockShortage":
        logger.info({ reservationId: event.reservationId, skus: event.lines.map((l) => l.sku) }, "stock short; nothing reserved");
        await outbox.append(tx, [newEvent(EventTypes.StockShortage, { reservationId: event.reservationId, lines: event.lines }, origin)]);
        break;
      case "StockReleased":
        throw new Error("a reservation request never releases stock");
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
      }
    }
  }
  if (events.length === 0) logger.info({ reservationId: payload.reservationId }, "reservation exists already; request ignored");
}
