import { EventTypes, Topics, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { withContext, type Logger } from "@oms/observability";
import type { ConsumerSpec } from "@oms/service-kit";
import type pg from "pg";
import { decideHeldCredit, isCreditHold, lockCreditHolders, type CreditHold } from "../../app/commands/decide-held-credit.ts";
import { invoiceClosedOrders, isClosure, type OrderClosed } from "../../app/commands/invoice-closed-orders.ts";
import { prepareSettlement } from "../../app/commands/prepare-settlement.ts";
import { recordCollectedOnDelivery } from "../../app/commands/record-payment.ts";
import { recordCreditOrders } from "../../app/commands/record-credit-orders.ts";
import { recordPrepayments } from "../../app/commands/record-prepayment.ts";
import { refundCancelledOrder } from "../../app/commands/refund-cancelled-order.ts";
import { refundPriceDifference } from "../../app/commands/refund-price-difference.ts";
import { refundResolvedCase } from "../../app/commands/refund-resolved-case.ts";
import { recordCarrierRecoveriesDue } from "../../app/carrier-recoveries/record-recovery-due.ts";
import { InvoiceDesk } from "../../app/invoice-desk.ts";
import { SettlementUnitOfWork } from "../../app/settlement-unit-of-work.ts";

type Refunding =
  | OrderEventOf<typeof EventTypes.OrderCancelled>
  | OrderEventOf<typeof EventTypes.OrderLinesSubstituted>
  | OrderEventOf<typeof EventTypes.CaseResolved>;
const refunding = new Set<string>([EventTypes.OrderCancelled, EventTypes.OrderLinesSubstituted, EventTypes.CaseResolved]);

/**
 * Billing listens to fulfillment's requests and to the money moments of an order (its
 * closure among them), and to after-sales' resolved cases (money going back); every other
 * event on the topics is not its business. A batch is applied set-wise: its prepayments and
 * on-credit orders in one statement each, then its settlement steps (prepare, money collected
 * at the door) through one unit of work — one lock statement, one write per table. Closures
 * (invoiced), orders held for credit (decided by the customer's assessment) and refunds
 * (cancellation, cheaper substitute, resolved case) read what is recorded, so the steps
 * before them are written first; closures in a row are invoiced together, the others run in
 * their place in the batch. The batch's invoices and credit notes are numbered last
 * (InvoiceDesk). A carrier claim settled makes money due from the carrier (ADR 017, second
 * carrier addendum): recorded once per case, in one statement for the batch, apart from the
 * order's own money.
 */
export function moneyEventsConsumer(outbox: OutboxWriter, carrierRecoveryDueDays = 30): ConsumerSpec {
  return {
    name: "billing",
    topics: [Topics.fulfillmentOrder, Topics.afterSalesCase],
    // One call, so one invoice desk, per fetch: its numbers are drawn once, after every lock
    // the fetch takes (a call per topic would draw the first topic's before the second's locks).
    batchAcrossTopics: true,
    eventTypes: [
      EventTypes.OrderCreated,
      EventTypes.SettlementRequested,
      EventTypes.DeliveryRecorded,
      EventTypes.OrderCancelled,
      EventTypes.OrderLinesSubstituted,
      EventTypes.CaseResolved,
      EventTypes.OrderStatusChanged,
      EventTypes.CarrierClaimSettled,
    ],
    // Of an order's dozen status changes, only its closure and its hold for credit.
    actsOn: (event) => event.type !== EventTypes.OrderStatusChanged || isClosure(event) || isCreditHold(event),
    handleBatch: async (items, { tx, logger }) => {
      const events = items.flatMap((item) => (item.event ? [item.event] : []));
      const desk = new InvoiceDesk(tx);
      // On-credit orders created in this batch first, so their holds find their customers.
      await recordCreditOrders(tx, events);
      // The customers whose orders wait for credit, all of them before any other lock and in id
      // order: locked one hold at a time, two batches could take two customers the other way round.
      const creditHolders = await lockCreditHolders(
        tx,
        events.filter((e): e is CreditHold => e.type === EventTypes.OrderStatusChanged && isCreditHold(e)),
      );
      await recordPrepayments(tx, events);
      const recoveriesDue = await recordCarrierRecoveriesDue(tx, events, carrierRecoveryDueDays);
      if (recoveriesDue > 0) logger.debug({ recoveriesDue }, "carrier recoveries due recorded");
      let settlementSteps: OrderEvent[] = [];
      let closures: OrderClosed[] = [];
      const applyPending = async () => {
        await applySettlementSteps(tx, outbox, settlementSteps);
        settlementSteps = [];
        const invoiced = await invoiceClosedOrders(tx, desk, closures);
        if (invoiced > 0) logger.debug({ closures: closures.length, invoiced }, "closed orders invoiced");
        closures = [];
      };
      for (const event of events) {
        // Recorded above, set-wise: none of the order's money.
        if (event.type === EventTypes.CarrierClaimSettled) continue;
        if (event.type === EventTypes.OrderStatusChanged && isCreditHold(event)) {
          await applyPending();
          await decideHeldCredit(tx, outbox, [event], creditHolders);
        } else if (event.type === EventTypes.OrderStatusChanged) {
          await applySettlementSteps(tx, outbox, settlementSteps);
          settlementSteps = [];
          closures.push(event);
        } else if (refunding.has(event.type)) {
          await applyPending();
          await refund(tx, outbox, desk, event as Refunding, withContext(logger, { orderId: event.orderId, correlationId: event.correlationId, eventId: event.eventId }));
        } else {
          if (closures.length > 0) await applyPending();
          settlementSteps.push(event);
        }
      }
      await applyPending();
      await desk.issue(outbox);
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

async function refund(tx: pg.ClientBase, outbox: OutboxWriter, desk: InvoiceDesk, event: Refunding, logger: Logger): Promise<void> {
  if (event.type === EventTypes.OrderLinesSubstituted) {
    const outcome = await refundPriceDifference(tx, outbox, desk, event);
    if (outcome?.kind === "issued") logger.info({ refunds: outcome.refunds.length }, "substitute's price difference refunded");
    return;
  }
  if (event.type === EventTypes.CaseResolved) {
    const refunded = await refundResolvedCase(tx, outbox, desk, event);
    if (refunded?.outcome.kind === "issued" && refunded.outcome.refunds.length > 0) {
      logger.info({ refunds: refunded.outcome.refunds.length, refundedMinor: refunded.outcome.refunds.reduce((t, r) => t + r.amountMinor, 0) }, "resolved after-sales case refunded");
    }
    // Less than the case named (nothing paid yet, or already refunded): announced on the case
    // (CaseRefundShortfall, in this transaction); finance settles the rest by hand.
    if (refunded?.shortfall) {
      const { requestedMinor: dueMinor, refundedMinor, reason } = refunded.shortfall;
      logger.warn({ caseId: event.payload.caseId, dueMinor, refundedMinor, reason }, "a resolved case's refund is more than billing holds of the order");
    }
    return;
  }
  const outcome = await refundCancelledOrder(tx, outbox, desk, event);
  if (outcome.kind === "issued" && outcome.refunds.length > 0) {
    logger.info({ refunds: outcome.refunds.length, refundedMinor: outcome.refunds.reduce((t, r) => t + r.amountMinor, 0) }, "cancelled order refunded");
  } else if (event.payload.refundDue && (outcome.kind === "unknown-order" || (outcome.kind === "issued" && outcome.paidMinor === 0))) {
    // Fulfillment expected money back but billing holds none: worth a look by finance.
    logger.warn({ outcome: outcome.kind }, "cancellation says a refund is due, but billing holds no money of the order");
  }
}
