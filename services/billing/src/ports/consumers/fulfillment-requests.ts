import { EventTypes, Topics, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { prepareSettlement } from "../../app/commands/prepare-settlement.ts";
import { recordCollectedOnDelivery } from "../../app/commands/record-payment.ts";

/** Billing listens to fulfillment's requests; every other event on the topic is not its business. */
export function fulfillmentRequestsConsumer(outbox: OutboxWriter): ConsumerSpec {
  return {
    name: "billing",
    topics: [Topics.fulfillmentOrder],
    handle: async (event: OrderEvent, { tx }) => {
      switch (event.type) {
        case EventTypes.SettlementRequested:
          return prepareSettlement(tx, outbox, event);
        case EventTypes.DeliveryRecorded:
          return recordCollectedOnDelivery(tx, outbox, event);
        default:
          return;
      }
    },
  };
}
