import { randomUUID } from "node:crypto";
import type pg from "pg";
import { originFrom, type Actor, type billingApi, type EventTypes, type OrderEventOf } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { isRepeatOfPayment } from "../../domain/settlement.ts";
import { getSettlement } from "../queries/get-settlement.ts";
import { SettlementUnitOfWork } from "../settlement-unit-of-work.ts";

/** The rider collected cash or card at the door: that is a payment for the order. */
export async function recordCollectedOnDelivery(unit: SettlementUnitOfWork, delivery: OrderEventOf<typeof EventTypes.DeliveryRecorded>): Promise<void> {
  const collected = delivery.payload.collectedMinor;
  if (collected <= 0) return;
  const reference = `delivery:${delivery.eventId}`;
  if (await unit.hasPayment(delivery.orderId, reference)) return;
  const currency = unit.settlementOf(delivery.orderId)?.currency ?? "CNY";
  unit.execute(
    delivery.orderId,
    { type: "RecordPayment", paymentId: randomUUID(), amountMinor: collected, currency, method: "collected-on-delivery", reference },
    originFrom(delivery, "billing", delivery.actor),
  );
}

/** A finance clerk confirms a payment (bank transfer, cheque, card, platform); the same reference twice is one payment. */
export async function confirmPayment(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.ConfirmPaymentRequest, correlationId: string): Promise<billingApi.SettlementView> {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") {
    throw new ForbiddenError("payment.by-finance", "only a finance clerk confirms payments");
  }
  const errors: FieldError[] = [];
  if (!request.orderId) errors.push({ field: "orderId", message: "is required" });
  if (!request.reference) errors.push({ field: "reference", message: "is required (bank, card or platform reference)" });
  if (!request.method) errors.push({ field: "method", message: "is required" });
  if (!request.amount || !Number.isSafeInteger(request.amount.minor) || request.amount.minor <= 0) {
    errors.push({ field: "amount.minor", message: "must be a positive integer of minor units" });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const actor: Actor = { kind: request.callerKind as Actor["kind"], id: request.callerId, role: request.callerRole };
  const { orderId, reference } = request;
  await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const unit = new SettlementUnitOfWork(tx);
      await unit.load([orderId]);
      // Asked only once the order is locked: a twin confirmation arriving at the same time
      // waits in `load` and then finds this payment, so it answers as this one does instead
      // of being refused as an overpayment or breaking the reference's uniqueness.
      const sent = { amountMinor: request.amount!.minor, currency: request.amount!.currency, method: request.method };
      if (isRepeatOfPayment(orderId, reference, sent, await unit.paymentUnder(orderId, reference))) return;
      unit.execute(
        orderId,
        { type: "RecordPayment", paymentId: randomUUID(), ...sent, reference },
        { producer: "billing", orderId, storeId: unit.settlementOf(orderId)?.storeId ?? "", actor, correlationId },
      );
      await unit.flush(outbox);
    }),
  );
  return getSettlement(pool, request.orderId);
}
