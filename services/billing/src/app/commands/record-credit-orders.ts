import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { creditRepository } from "../../adapters/pg/credit-repository.ts";

/**
 * An order bought on credit by a known customer was created: billing weighs it against the
 * customer's limit when it is held for credit, and counts it in what the customer owes until
 * it is paid. One statement for all the events of a batch.
 */
export async function recordCreditOrders(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<void> {
  await creditRepository.recordOrders(
    tx,
    events.flatMap((event) => {
      if (event.type !== EventTypes.OrderCreated) return [];
      const order = event.payload.order;
      // Trimmed as an assessment's is, so the two meet.
      const customerId = order?.customer?.customerId?.trim() ?? "";
      if (!order || order.paymentMethod !== "on-credit" || order.prepaid || !customerId || !order.totals) return [];
      return [{ orderId: event.orderId, customerId, storeId: event.storeId, totalMinor: order.totals.grandTotalMinor, currency: order.totals.currency }];
    }),
  );
}
