import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";
import { statusCallbackRepository } from "../../adapters/pg/status-callback-repository.ts";
import { customerVisibleStatuses } from "../../domain/status-push.ts";

const marketplacePrefix = "marketplace:";

/** A change the marketplace's customer sees, as it is pushed: a status and why (and a shipment's parcel). */
export interface CustomerNotice {
  eventId: string;
  orderId: string;
  status: string;
  reason: string;
  /** A cancellation's code from fulfillment's closed list (OrderCancelled.reason_code); "" for every other notice and a cancellation from before the list. */
  reasonCode: string;
  carrier: string;
  trackingNumber: string;
  occurredAt: Date;
}

/**
 * What of fulfillment's events the customer is told: customer-visible status changes, a
 * cancellation with its reason code, every parcel's tracking number, a pick-up ready at the
 * counter, and an exception on the order's way (cause and next step).
 */
export function customerNoticeOf(event: OrderEvent): CustomerNotice | undefined {
  const base = { eventId: event.eventId, orderId: event.orderId, occurredAt: event.occurredAt, carrier: "", trackingNumber: "", reasonCode: "" };
  switch (event.type) {
    case EventTypes.OrderStatusChanged: {
      const { toStatus, reason, carrier, trackingNumber } = event.payload;
      // A cancellation is told by the OrderCancelled published right after it (the same transaction, the order's key), which
      // carries the reason code the change lacks: pushing both would tell the marketplace twice.
      if (!customerVisibleStatuses.has(toStatus) || toStatus === "cancelled") return undefined;
      // The status tells it, as on the customer's timeline (ADR 022, twenty-seventh-session addendum, second reading): a reason
      // staff typed or a rule wrote (a cancellation's, a hold's, a credit refusal's) stays the store's; the customer's own
      // words on their own step (a refused delivery's) are theirs.
      return { ...base, status: toStatus, reason: event.actor.kind === "customer" ? reason : "", carrier, trackingNumber };
    }
    case EventTypes.OrderCancelled: {
      // The code is what the buyer is told why (ADR 022, twenty-eighth-session addendum); the canceller's words stay the
      // store's unless the customer cancelled in their own, as on the status change before. "" on events before the list.
      const { reason, reasonCode } = event.payload;
      return { ...base, status: "cancelled", reason: event.actor.kind === "customer" ? reason : "", reasonCode: reasonCode ?? "" };
    }
    case EventTypes.OrderParcelShipped: {
      // A split order's parcel that changed no status: the buyer needs its tracking number, under the order's status as it
      // stands (partially delivered once an earlier part arrived), never a step it has passed; an event without one says its own.
      const { partId, carrier, trackingNumber, orderStatus } = event.payload;
      const status = customerVisibleStatuses.has(orderStatus) ? orderStatus : "partially-shipped";
      return { ...base, status, reason: `part ${partId} shipped`, carrier, trackingNumber };
    }
    case EventTypes.OrderReadyForPickup:
      return { ...base, status: "ready-for-pickup", reason: `ready at the store's counter until ${event.payload.collectBy}` };
    case EventTypes.OrderExceptionRaised:
      return { ...base, status: `exception:${event.payload.kind}`, reason: `${event.payload.cause}; next: ${event.payload.nextStep}` };
    default:
      return undefined;
  }
}

/**
 * Queues a push for each customer notice of an order that came from a marketplace with a
 * callback URL, in the consumed batch's transaction: two statements for the whole batch
 * (which orders are the marketplaces', then the inserts).
 */
export async function queueStatusPushes(tx: pg.ClientBase, platforms: PlatformDirectory, events: readonly OrderEvent[]): Promise<void> {
  await queueCustomerNotices(tx, platforms, events.flatMap((e) => customerNoticeOf(e) ?? []));
}

/** Queues a push for each notice of an order that came from a marketplace with a callback URL (the others are passed over). */
export async function queueCustomerNotices(tx: pg.ClientBase, platforms: PlatformDirectory, visible: readonly CustomerNotice[]): Promise<void> {
  if (visible.length === 0) return;
  const { rows } = await tx.query<{ order_id: string; channel: string; channel_order_id: string }>(
    "SELECT order_id, channel, channel_order_id FROM orders WHERE order_id = ANY($1) AND channel LIKE 'marketplace:%'",
    [[...new Set(visible.map((e) => e.orderId))]],
  );
  const origins = new Map(rows.map((r) => [r.order_id, { platform: r.channel.slice(marketplacePrefix.length), channelOrderId: r.channel_order_id }]));
  const callbacks = [];
  for (const notice of visible) {
    const origin = origins.get(notice.orderId);
    if (!origin || !(await platforms.routingOf(origin.platform))?.callbackUrl) continue;
    callbacks.push({ ...notice, platform: origin.platform, channelOrderId: origin.channelOrderId });
  }
  await statusCallbackRepository.enqueue(tx, callbacks);
}
