import type pg from "pg";
import { EventTypes, storeLevelEventTypes, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { causedBy } from "../event-cause.ts";
import { OrderUnitOfWork } from "../order-unit-of-work.ts";
import { createOrderCommand } from "./create-order.ts";
import { commandFor, recordDownstreamEvent, type SagaSettings } from "./record-downstream-event.ts";
import { leftTheQueue, releaseNextBackorder } from "./release-backorders.ts";

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
  const unit = new OrderUnitOfWork(tx);
  await unit.load(events.filter((e) => !storeLevelEventTypes.has(e.type)).map((e) => e.orderId));
  for (const event of events) {
    if (storeLevelEventTypes.has(event.type)) {
      // Rare and about many orders: written through the per-order path, after what came before.
      await unit.flush(outbox);
      await recordDownstreamEvent(tx, outbox, event, settings);
      unit.forget();
      continue;
    }
    unit.note(event);
    const command = event.type === EventTypes.OrderReceived ? createOrderCommand(event) : commandFor(event, settings);
    if (!command) continue;
    const before = unit.current(event.orderId);
    const after = await unit.execute(event.orderId, command, causedBy(event));
    if (event.type === EventTypes.StockReserved && leftTheQueue(before, after)) {
      await unit.flush(outbox);
      await releaseNextBackorder(tx, outbox, after.storeId, after.lines.map((l) => l.sku), causedBy(event));
      unit.forget();
    }
  }
  await unit.flush(outbox);
}
