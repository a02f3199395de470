import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";
import { statusCallbackRepository } from "../../adapters/pg/status-callback-repository.ts";
import { customerVisibleStatuses } from "../../domain/status-push.ts";

const marketplacePrefix = "marketplace:";

/**
 * Queues a push for each customer-visible status change of an order that came from a
 * marketplace with a callback URL, in the consumed batch's transaction: two statements
 * for the whole batch (which orders are the marketplaces', then the inserts).
 */
export async function queueStatusPushes(
  tx: pg.ClientBase,
  platforms: PlatformDirectory,
  changes: readonly OrderEventOf<typeof EventTypes.OrderStatusChanged>[],
): Promise<void> {
  const visible = changes.filter((e) => customerVisibleStatuses.has(e.payload.toStatus));
  if (visible.length === 0) return;
  const { rows } = await tx.query<{ order_id: string; channel: string; channel_order_id: string }>(
    "SELECT order_id, channel, channel_order_id FROM orders WHERE order_id = ANY($1) AND channel LIKE 'marketplace:%'",
    [[...new Set(visible.map((e) => e.orderId))]],
  );
  const origins = new Map(rows.map((r) => [r.order_id, { platform: r.channel.slice(marketplacePrefix.length), channelOrderId: r.channel_order_id }]));
  const callbacks = [];
  for (const event of visible) {
    const origin = origins.get(event.orderId);
    if (!origin || !(await platforms.routingOf(origin.platform))?.callbackUrl) continue;
    callbacks.push({
      eventId: event.eventId,
      orderId: event.orderId,
      platform: origin.platform,
      channelOrderId: origin.channelOrderId,
      status: event.payload.toStatus,
      reason: event.payload.reason,
      occurredAt: event.occurredAt,
    });
  }
  await statusCallbackRepository.enqueue(tx, callbacks);
}
