import { EventTypes, Topics, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { withContext, type Logger } from "@oms/observability";
import type { ConsumerSpec } from "@oms/service-kit";
import type pg from "pg";
import { prepareSettlement } from "../../app/commands/prepare-settlement.ts";
import { recordCollectedOnDelivery } from "../../app/commands/record-payment.ts";
import { recordPrepayments } from "../../app/commands/record-prepayment.ts";
import { refundCancelledOrder } from "../../app/commands/refund-cancelled-order.ts";
import { refundPriceDifference } from "../../app/commands/refund-price-difference.ts";
import { refundResolvedCase } from "../../app/commands/refund-resolved-case.ts";
import { SettlementUnitOfWork } from "../../app/settlement-unit-of-work.ts";

type Refunding =
  | OrderEventOf<typeof EventTypes.OrderCancelled>
  | OrderEventOf<typeof EventTypes.OrderLinesSubstituted>
  | OrderEventOf<typeof EventTypes.CaseResolved>;
const refunding = new Set<string>([EventTypes.OrderCancelled, EventTypes.OrderLinesSubstituted, EventTypes.CaseResolved]);

/**
 * Billing listens to fulfillment's requests and to the money moments of an order, and to
 * after-sales' resolved cases (money going back); every other event on the topics is not
 * its business. A batch is applied set-wise: its
 * prepayments in one statement, then its settlement steps (prepare, money collected at the
 * door) through one unit of work — one lock statement, one write per table. A refund
 * (cancellation, cheaper substitute, resolved case) reads what is recorded, so the steps before it are
 * written first and it runs on its own, in its place in the batch.
 */
export function moneyEventsConsumer(outbox: OutboxWriter): ConsumerSpec {
  return {
    name: "billing",
    topics: [Topics.fulfillmentOrder, Topics.afterSalesCase],
    eventTypes: [
      EventTypes.OrderCreated,
      EventTypes.SettlementRequested,
      EventTypes.DeliveryRecorded,
      EventTypes.OrderCancelled,
      EventTypes.OrderLinesSubstituted,
      EventTypes.CaseResolved,
    ],
    handleBatch: async (items, { tx, logger }) => {
      const events = items.flatMap((item) => (item.event ? [item.event] : []));
      await recordPrepayments(tx, events);
      let settlementSteps: OrderEvent[] = [];
      for (const event of events) {
        if (!refunding.has(event.type)) {
          settlementSteps.push(event);
          continue;
        }
        await applySettlementSteps(tx, outbox, settlementSteps);
        settlementSteps = [];
        await refund(tx, outbox, event as Refunding, withContext(logger, { orderId: event.orderId, correlationId: event.correlationId, eventId: event.eventId }));
      }
      await applySettlementSteps(tx, outbox, settlementSteps);
    },
  };
}

async function applySettlementSteps(tx: pg.ClientBase, outbox: OutboxWriter, events: readonly OrderEvent[]): Promise<void> {
  const steps = events.filter((e) => e.type === EventTypes.SettlementRequested || (e.type === EventTypes.DeliveryRecorded && e.payload.collectedMinor > 0));
  if (steps.length === 0) return;
  const unit = new SettlementUnitOfWork(tx);
  await unit.load(steps.map((e) => e.orderId));
  for (const event of steps) {
    if (event.type === EventTypes.SettlementRequested) prepareSettlement(unit, event);
    else if (event.type === EventTypes.DeliveryRecorded) await recordCollectedOnDelivery(unit, event);
  }
  await unit.flush(outbox);
}

async function refund(tx: pg.ClientBase, outbox: OutboxWriter, event: Refunding, logger: Logger): Promise<void> {
  if (event.type === EventTypes.OrderLinesSubstituted) {
    const outcome = await refundPriceDifference(tx, outbox, event);
    if (outcome?.kind === "issued") logger.info({ refunds: outcome.refunds.length }, "substitute's price difference refunded");
    return;
  }
  if (event.type === EventTypes.CaseResolved) {
    const outcome = await refundResolvedCase(tx, outbox, event);
    const refundedMinor = outcome?.kind === "issued" ? outcome.refunds.reduce((t, r) => t + r.amountMinor, 0) : 0;
    if (outcome?.kind === "issued" && refundedMinor > 0) logger.info({ refunds: outcome.refunds.length, refundedMinor }, "resolved after-sales case refunded");
    // Less than the case named (nothing paid yet, or already refunded): finance settles the rest by hand.
    if (outcome && outcome.kind !== "already-issued" && refundedMinor < Number(event.payload.refundMinor)) {
      logger.warn({ caseId: event.payload.caseId, dueMinor: Number(event.payload.refundMinor), refundedMinor }, "a resolved case's refund is more than billing holds of the order");
    }
    return;
  }
  const outcome = await refundCancelledOrder(tx, outbox, event);
  if (outcome.kind === "issued" && outcome.refunds.length > 0) {
    logger.info({ refunds: outcome.refunds.length, refundedMinor: outcome.refunds.reduce((t, r) => t + r.amountMinor, 0) }, "cancelled order refunded");
  } else if (event.payload.refundDue && (outcome.kind === "unknown-order" || (outcome.kind === "issued" && outcome.paidMinor === 0))) {
    // Fulfillment expected money back but billing holds none: worth a look by finance.
    logger.warn({ outcome: outcome.kind }, "cancellation says a refund is due, but billing holds no money of the order");
  }
}
