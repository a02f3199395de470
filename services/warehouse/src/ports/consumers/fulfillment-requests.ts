import type pg from "pg";
import { EventTypes, Topics, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { BufferedOutbox, type EventAppender, type OutboxWriter } from "@oms/messaging";
import { withContext, type Logger } from "@oms/observability";
import type { ConsumerSpec } from "@oms/service-kit";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import type { StockKey } from "../../adapters/pg/stock-locks.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { handOverPickup } from "../../app/commands/hand-over-pickup.ts";
import { releaseStock } from "../../app/commands/release-stock.ts";
import { requestShipments } from "../../app/commands/request-shipment.ts";
import { reserveStock } from "../../app/commands/reserve-stock.ts";
import { stockKeysToLockForRise } from "../../app/replacements-on-restock.ts";
import { isStockMovedWhileDeciding, ReservationBatch } from "../../app/reservation-batch.ts";
import type { ShipmentDeadlines } from "../../app/step-deadlines.ts";
import { storesServing } from "../../domain/routing.ts";

type WarehouseRequest =
  | OrderEventOf<typeof EventTypes.StockReservationRequested>
  | OrderEventOf<typeof EventTypes.StockReleaseRequested>
  | OrderEventOf<typeof EventTypes.ShipmentRequested>
  | OrderEventOf<typeof EventTypes.DeliveryRecorded>;

/**
 * Warehouse listens to fulfillment's stock and shipment requests, and to deliveries (a
 * pick-up order's goods leave stock at the hand-over); every other event on the topic
 * is not its business.
 *
 * A batch first puts the reservations asked for on the pick list (no stock moves). A batch
 * of reservation requests then reads the stock rows they may use (for a routed order: in
 * the stores serving its district) without locking them, decides in memory, and locks
 * only the rows it booked as its last writes, under the booking's guard. A batch that
 * also releases or hands over stock locks every row any request may touch first, in one
 * sorted statement that waits (adapters/pg/stock-locks.ts). Either way the requests are
 * handled one after the other and written together at the end (app/reservation-batch.ts);
 * concurrent transactions over the same hot rows queue instead of failing.
 */
export function fulfillmentRequestsConsumer(outbox: OutboxWriter, deadlines: ShipmentDeadlines): ConsumerSpec {
  return {
    name: "warehouse",
    topics: [Topics.fulfillmentOrder],
    eventTypes: [EventTypes.StockReservationRequested, EventTypes.StockReleaseRequested, EventTypes.ShipmentRequested, EventTypes.DeliveryRecorded],
    handleBatch: async (items, { tx, logger }) => {
      const requests = items.flatMap((item) => (item.event && isWarehouseRequest(item.event) ? [item.event] : []));
      if (requests.length === 0) return;
      // What the requests share is read once and written once: existing reservations,
      // routing rules, free stock, the day's routed counts, the events.
      // Shipment requests move no stock: taken first, they do not lengthen the hold on the hot stock rows below.
      await requestShipments(tx, requests.filter((r) => r.type === EventTypes.ShipmentRequested), logger, deadlines);
      const others = requests.filter((r) => r.type !== EventTypes.ShipmentRequested);
      if (others.length === 0) return;
      // Reservations alone decide on unlocked rows and lock what they book at the end. If a
      // row moved meanwhile, or the batch releases or hands over stock, every row any
      // request may touch is locked first, in order, and the batch decides on those.
      if (others.every((r) => r.type === EventTypes.StockReservationRequested)) {
        await tx.query("SAVEPOINT lock_late");
        try {
          await applyStockRequests(tx, outbox, deadlines, others, logger, { lockLate: true });
          return;
        } catch (error) {
          if (!isStockMovedWhileDeciding(error)) throw error;
          await tx.query("ROLLBACK TO SAVEPOINT lock_late");
        }
      }
      await applyStockRequests(tx, outbox, deadlines, others, logger, { lockLate: false });
    },
  };
}

async function applyStockRequests(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  deadlines: ShipmentDeadlines,
  requests: readonly WarehouseRequest[],
  logger: Logger,
  options: { lockLate: boolean },
): Promise<void> {
  const batch = new ReservationBatch(requests.filter((r) => r.type === EventTypes.StockReservationRequested), options);
  const keys = await stockKeysOf(tx, requests, batch);
  batch.holdStock(await (options.lockLate ? stockRepository.readAll(tx, keys) : stockRepository.lockAll(tx, keys)), keys);
  const events = new BufferedOutbox(outbox);
  for (const request of requests) {
    const context = { orderId: request.orderId, correlationId: request.correlationId, eventId: request.eventId, eventType: request.type };
    // Reservations are booked in memory; any other request reads the tables, so what was booked goes first.
    if (request.type !== EventTypes.StockReservationRequested) await batch.flush(tx);
    await handle(tx, events, deadlines, request, withContext(logger, context), batch);
  }
  // The stock last: a batch that locks late holds its rows only from there to the commit.
  await events.flush(tx);
  await batch.flush(tx);
}

function isWarehouseRequest(event: OrderEvent): event is WarehouseRequest {
  return (
    event.type === EventTypes.StockReservationRequested ||
    event.type === EventTypes.StockReleaseRequested ||
    event.type === EventTypes.ShipmentRequested ||
    event.type === EventTypes.DeliveryRecorded
  );
}

function handle(tx: pg.ClientBase, outbox: EventAppender, deadlines: ShipmentDeadlines, request: WarehouseRequest, logger: Logger, batch: ReservationBatch): Promise<void> {
  switch (request.type) {
    case EventTypes.StockReservationRequested:
      return reserveStock(tx, outbox, request, logger, batch);
    case EventTypes.StockReleaseRequested:
      return releaseStock(tx, outbox, request, logger, batch, deadlines);
    case EventTypes.ShipmentRequested:
      return requestShipments(tx, [request], logger, deadlines);
    case EventTypes.DeliveryRecorded:
      return handOverPickup(tx, outbox, request, logger, deadlines);
    default: {
      const unknown: never = request;
      throw new Error(`not a warehouse request: ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

/**
 * Every (store, SKU) whose stock rows the batch's requests may lock: the lines of new
 * reservations, and the lines on record of the reservations released and of the pick-up
 * orders handed over. A reservation made earlier in the same batch is covered by its
 * request's lines. A shipment request moves no stock and locks none. A release frees units
 * that the store's exchange replacements awaiting them take first (release-stock.ts): their
 * SKUs' rows are locked with the rest.
 */
async function stockKeysOf(tx: pg.ClientBase, requests: readonly WarehouseRequest[], batch: ReservationBatch): Promise<StockKey[]> {
  const keys: StockKey[] = [];
  const reservationIds: string[] = [];
  const pickupsOfOrders: string[] = [];
  for (const request of requests) {
    switch (request.type) {
      case EventTypes.StockReservationRequested: {
        // A routed order may be served by any store delivering to its district: its SKUs are locked in those.
        const { route, district, excludedStoreIds } = request.payload;
        const serving = route ? storesServing(district, excludedStoreIds, (await batch.rulesOf(tx)).stores) : [];
        const stores = [...new Set([request.storeId, ...serving])];
        for (const storeId of stores) for (const line of request.payload.lines) keys.push({ storeId, sku: line.sku });
        break;
      }
      case EventTypes.StockReleaseRequested:
        reservationIds.push(request.payload.reservationId);
        break;
      case EventTypes.ShipmentRequested:
        break;
      case EventTypes.DeliveryRecorded:
        pickupsOfOrders.push(request.orderId);
        break;
    }
  }
  const ofRecord = await reservationRepository.stockKeysOf(tx, { reservationIds, pickupsOfOrders });
  return [...keys, ...(reservationIds.length > 0 ? await stockKeysToLockForRise(tx, ofRecord) : ofRecord)];
}
