import type pg from "pg";
import { EventTypes, storeLevelEventTypes, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import type { CreateOrder } from "../../domain/commands.ts";
import { coveringDeclaration, type DeclaredForceMajeure } from "../../domain/force-majeure.ts";
import { causedBy } from "../event-cause.ts";
import { declaredOf } from "../force-majeure/declaration-view.ts";
import { OrderUnitOfWork } from "../order-unit-of-work.ts";
import { createOrderCommand } from "./create-order.ts";
import { commandFor, type SagaSettings } from "./record-downstream-event.ts";
import { leftTheQueue, releaseNextBackorder, stockFreedBy, type FreedStock } from "./release-backorders.ts";
import { tellBackordersOfRestock } from "./tell-backorders-of-restock.ts";

/**
 * A whole Kafka batch of other services' events, applied in the batch's transaction
 * with a few statements instead of a few per event: this is where fulfillment's
 * throughput comes from (ARCHITECTURE.md: batching, not more processes).
 */
export async function applyOrderEventBatch(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  events: readonly OrderEvent[],
  settings: SagaSettings,
): Promise<void> {
  const declared = await forceMajeureOverNewOrders(tx, events);
  const unit = new OrderUnitOfWork(tx);
  await unit.load(events.filter((e) => !storeLevelEventTypes.has(e.type)).map((e) => e.orderId));
  for (const event of events) {
    if (event.type === EventTypes.RestockExpected) {
      // The orders waiting for the SKU are read as the batch left them so far.
      await unit.flush(outbox);
      await tellBackordersOfRestock(tx, event);
      continue;
    }
    // A store-level event (stock received or counted) is about no one order and goes on no order's timeline.
    const freed = storeLevelEventTypes.has(event.type) ? stockFreedBy(event, undefined) : await applyOrderEvent(unit, event, settings, declared);
    if (!freed) continue;
    // It changes another order directly: what came before is written first, and the unit
    // forgets only that order (the others it holds are as they were saved, and stay locked).
    await unit.flush(outbox);
    const released = await releaseNextBackorder(tx, outbox, freed.storeId, freed.skus, causedBy(event));
    if (released) unit.forget(released);
  }
  await unit.flush(outbox);
}

/** One order's event: its timeline line and the saga's command. Returns the stock it lets the next order waiting for stock have, if any. */
async function applyOrderEvent(unit: OrderUnitOfWork, event: OrderEvent, settings: SagaSettings, declared: readonly DeclaredForceMajeure[]): Promise<FreedStock | undefined> {
  unit.note(event);
  await unit.load([event.orderId]);
  const before = unit.current(event.orderId);
  const command = event.type === EventTypes.OrderReceived ? heldIfDeclared(createOrderCommand(event), declared, event.occurredAt) : commandFor(event, settings);
  const after = command ? await unit.execute(event.orderId, command, causedBy(event)) : before;
  // It got its stock after waiting: stock came in, and the next order in line may be served too (one at a time).
  if (event.type === EventTypes.StockReserved && leftTheQueue(before, after)) return { storeId: after.storeId, skus: after.lines.map((l) => l.sku) };
  return stockFreedBy(event, before);
}

/**
 * The force majeure declared over the stores of the batch's new orders: an order arriving
 * while one covers its store or district is accepted and held at once (ADR 027). The stores
 * are locked shared first, so a declaration being made there either sees these orders or is
 * seen by them. A batch with no new order pays nothing.
 */
async function forceMajeureOverNewOrders(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<DeclaredForceMajeure[]> {
  const stores = events.flatMap((e) => (e.type === EventTypes.OrderReceived ? [e.storeId] : []));
  if (stores.length === 0) return [];
  await forceMajeureRepository.lockStoresShared(tx, stores);
  return (await forceMajeureRepository.declaredAt(tx, stores)).map(declaredOf);
}

function heldIfDeclared(command: CreateOrder, declared: readonly DeclaredForceMajeure[], at: Date): CreateOrder {
  const covering = coveringDeclaration(command.order, declared);
  if (!covering) return command;
  const { eventId, cause, expectedUntil } = covering;
  return { ...command, forceMajeure: { eventId, cause, ...(expectedUntil ? { expectedUntil } : {}) }, at: at.toISOString() };
}
