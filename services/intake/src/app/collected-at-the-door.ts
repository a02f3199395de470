import type pg from "pg";
import { IllegalStateError, NotFoundError } from "@oms/errors";
import type { BillingSettlements } from "../adapters/grpc-clients/billing.ts";
import { orderRepository } from "../adapters/pg/order-repository.ts";

/**
 * Money taken at the door (a rider's delivery, a technician's report) becomes a payment
 * when billing hears of the delivery: billing cannot refuse an event, and an amount above
 * what the order still owes would stop there, unrecorded. So the gateway asks first and
 * refuses it while the person is still at the door, naming what is outstanding: billing's
 * settlement when it has one, else intake's record of the order (nothing for a prepaid
 * one, its total otherwise). Nothing taken: nothing to ask.
 *
 * An early check, not a lock: fulfillment bounds the money taken at the door again under
 * the order's lock (two parts' riders are counted one after the other), but knows nothing
 * of what finance confirmed meanwhile; this check knows that, but not a delivery billing has
 * not heard of yet.
 */
export async function assertCollectable(
  deps: { pool: pg.Pool; billing: BillingSettlements },
  orderId: string,
  collectedMinor: number,
  correlationId: string,
): Promise<void> {
  if (collectedMinor === 0) return;
  const { outstanding, currency } = await outstandingOf(deps, orderId, correlationId);
  if (collectedMinor > outstanding) {
    throw new IllegalStateError(
      "payment.more-than-outstanding",
      `order ${orderId} owes ${outstanding}${currency ? ` ${currency}` : ""} (prepaid or paid already): ${collectedMinor} cannot be taken at the door`,
    );
  }
}

async function outstandingOf(deps: { pool: pg.Pool; billing: BillingSettlements }, orderId: string, correlationId: string): Promise<{ outstanding: number; currency: string }> {
  try {
    const settlement = await deps.billing.getSettlement(orderId, correlationId);
    return { outstanding: (settlement.amountDue?.minor ?? 0) - (settlement.amountPaid?.minor ?? 0), currency: settlement.amountDue?.currency ?? "" };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // Billing has not prepared the settlement yet (it is asked at assignment): the order owes its total unless prepaid.
    const order = await orderRepository.findById(deps.pool, orderId);
    if (!order) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
    const total = Number(order.canonical.totals?.grandTotalMinor ?? 0);
    return { outstanding: order.canonical.prepaid ? 0 : total, currency: order.canonical.totals?.currency ?? "" };
  }
}
