import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { prepaymentRepository, type PrepaymentRow } from "../../adapters/pg/prepayment-repository.ts";

/**
 * A prepaid order was created (paid online, or a marketplace order that arrives paid):
 * billing now holds its grand total, and a cancellation at any later step refunds it. The
 * settlement request says it too, so that orders created before billing listened for
 * creations still get their prepayment; the first one heard counts. One statement for
 * all the events of a batch.
 */
export async function recordPrepayments(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
  await prepaymentRepository.recordMany(tx, events.flatMap(prepaymentOf));
}

function prepaymentOf(event: OrderEvent): PrepaymentRow[] {
  if (event.type === EventTypes.OrderCreated) {
    const order = event.payload.order;
    if (!order?.prepaid || !order.totals || order.totals.grandTotalMinor <= 0) return [];
    const { grandTotalMinor, currency } = order.totals;
    return [{ orderId: event.orderId, storeId: event.storeId, amountMinor: grandTotalMinor, currency, method: order.paymentMethod, channel: order.channel }];
  }
  if (event.type === EventTypes.SettlementRequested) {
    const { payload } = event;
    if (!payload.prepaid || !payload.totals || payload.totals.grandTotalMinor <= 0) return [];
    const { grandTotalMinor, currency } = payload.totals;
    return [{ orderId: event.orderId, storeId: event.storeId, amountMinor: grandTotalMinor, currency, method: payload.paymentMethod, channel: payload.channel }];
  }
  return [];
}
