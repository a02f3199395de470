import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { prepaymentRepository } from "../../adapters/pg/prepayment-repository.ts";

/**
 * A prepaid order was created (paid online, or a marketplace order that arrives paid):
 * billing now holds its grand total, and a cancellation at any later step refunds it.
 */
export async function recordPrepaymentOfCreatedOrder(tx: pg.ClientBase, created: OrderEventOf<typeof EventTypes.OrderCreated>): Promise<void> {
  const order = created.payload.order;
  if (!order?.prepaid || !order.totals || order.totals.grandTotalMinor <= 0) return;
  await prepaymentRepository.record(tx, {
    orderId: created.orderId,
    storeId: created.storeId,
    amountMinor: order.totals.grandTotalMinor,
    currency: order.totals.currency,
    method: order.paymentMethod,
    channel: order.channel,
  });
}

/** The settlement request says it too: orders created before billing listened for creations still get their prepayment. */
export async function recordPrepaymentOfSettlementRequest(tx: pg.ClientBase, request: OrderEventOf<typeof EventTypes.SettlementRequested>): Promise<void> {
  const { payload } = request;
  if (!payload.prepaid || !payload.totals || payload.totals.grandTotalMinor <= 0) return;
  await prepaymentRepository.record(tx, {
    orderId: request.orderId,
    storeId: request.storeId,
    amountMinor: payload.totals.grandTotalMinor,
    currency: payload.totals.currency,
    method: payload.paymentMethod,
    channel: payload.channel,
  });
}
