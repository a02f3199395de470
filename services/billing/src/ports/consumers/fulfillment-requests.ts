import { EventTypes, Topics, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { prepareSettlement } from "../../app/commands/prepare-settlement.ts";
import { recordPrepaymentOfCreatedOrder } from "../../app/commands/record-prepayment.ts";
import { refundCancelledOrder } from "../../app/commands/refund-cancelled-order.ts";
import { refundPriceDifference } from "../../app/commands/refund-price-difference.ts";
import { recordCollectedOnDelivery } from "../../app/commands/record-payment.ts";

/** Billing listens to fulfillment's requests and to the money moments of an order; every other event on the topic is not its business. */
export function fulfillmentRequestsConsumer(outbox: OutboxWriter): ConsumerSpec {
  return {
    name: "billing",
    topics: [Topics.fulfillmentOrder],
    eventTypes: [EventTypes.OrderCreated, EventTypes.SettlementRequested, EventTypes.DeliveryRecorded, EventTypes.OrderCancelled, EventTypes.OrderLinesSubstituted],
    handle: async (event: OrderEvent, { tx, logger }) => {
      switch (event.type) {
        case EventTypes.OrderCreated:
          return recordPrepaymentOfCreatedOrder(tx, event);
        case EventTypes.SettlementRequested:
          return prepareSettlement(tx, outbox, event);
        case EventTypes.DeliveryRecorded:
          return recordCollectedOnDelivery(tx, outbox, event);
        case EventTypes.OrderCancelled: {
          const outcome = await refundCancelledOrder(tx, outbox, event);
          if (outcome.kind === "issued" && outcome.refunds.length > 0) {
            logger.info({ refunds: outcome.refunds.length, refundedMinor: outcome.refunds.reduce((t, r) => t + r.amountMinor, 0) }, "cancelled order refunded");
          } else if (event.payload.refundDue && (outcome.kind === "unknown-order" || (outcome.kind === "issued" && outcome.paidMinor === 0))) {
            // Fulfillment expected money back but billing holds none: worth a look by finance.
            logger.warn({ outcome: outcome.kind }, "cancellation says a refund is due, but billing holds no money of the order");
          }
          return;
        }
        case EventTypes.OrderLinesSubstituted: {
          const outcome = await refundPriceDifference(tx, outbox, event);
          if (outcome?.kind === "issued") logger.info({ refunds: outcome.refunds.length }, "substitute's price difference refunded");
          return;
        }
        default:
          return;
      }
    },
  };
}
