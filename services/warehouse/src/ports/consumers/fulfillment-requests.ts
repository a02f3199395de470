import { EventTypes, Topics, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { handOverPickup } from "../../app/commands/hand-over-pickup.ts";
import { releaseStock } from "../../app/commands/release-stock.ts";
import { requestShipment } from "../../app/commands/request-shipment.ts";
import { reserveStock } from "../../app/commands/reserve-stock.ts";

/**
 * Warehouse listens to fulfillment's stock and shipment requests, and to deliveries (a
 * pick-up order's goods leave stock at the hand-over); every other event on the topic
 * is not its business.
 */
export function fulfillmentRequestsConsumer(outbox: OutboxWriter): ConsumerSpec {
  return {
    name: "warehouse",
    topics: [Topics.fulfillmentOrder],
    handle: async (event: OrderEvent, { tx, logger }) => {
      switch (event.type) {
        case EventTypes.StockReservationRequested:
          return reserveStock(tx, outbox, event, logger);
        case EventTypes.StockReleaseRequested:
          return releaseStock(tx, outbox, event, logger);
        case EventTypes.ShipmentRequested:
          return requestShipment(tx, outbox, event, logger);
        case EventTypes.DeliveryRecorded:
          return handOverPickup(tx, outbox, event, logger);
        default:
          return;
      }
    },
  };
}
