import { IllegalStateError, NotFoundError } from "@oms/errors";
import type { BillingSettlements } from "../adapters/grpc-clients/billing.ts";

/**
 * Money taken at the door (a rider's delivery, a technician's report) becomes a payment
 * when billing hears of the delivery: billing cannot refuse an event, and an amount above
 * what the order still owes would stop there, unrecorded. So the gateway asks billing
 * first and refuses it while the person is still at the door, naming what is outstanding.
 * Nothing taken: nothing to ask.
 */
export async function assertCollectable(billing: BillingSettlements, orderId: string, collectedMinor: number, correlationId: string): Promise<void> {
  if (collectedMinor === 0) return;
  const settlement = await billing.getSettlement(orderId, correlationId).catch((error: unknown) => {
    // Billing knows an order once its settlement was asked for; before that nothing is owed.
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  const outstanding = settlement ? (settlement.amountDue?.minor ?? 0) - (settlement.amountPaid?.minor ?? 0) : 0;
  if (collectedMinor > outstanding) {
    const currency = settlement?.amountDue?.currency ?? "";
    throw new IllegalStateError(
      "payment.more-than-outstanding",
      `order ${orderId} owes ${outstanding}${currency ? ` ${currency}` : ""} (prepaid or paid already): ${collectedMinor} cannot be taken at the door`,
    );
  }
}
