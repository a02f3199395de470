import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { CreateOrder } from "../../domain/commands.ts";

/** Intake accepted an order: the command that creates fulfillment's order and starts its saga. */
export function createOrderCommand(received: OrderEventOf<typeof EventTypes.OrderReceived>): CreateOrder {
  const canonical = received.payload.order;
  if (!canonical) throw new ValidationError([{ field: "order", message: `OrderReceived ${received.eventId} carries no order` }]);
  return {
    type: "CreateOrder",
    actor: received.actor,
    confirmedByChannel: canonical.confirmedByChannel,
    order: {
      orderId: received.orderId,
      storeId: received.storeId,
      channel: canonical.channel,
      channelOrderId: canonical.channelOrderId,
      kind: canonical.kind === "service" ? "service" : "goods",
      fulfillmentMethod: canonical.fulfillmentMethod,
      region: canonical.region || canonical.customer?.address?.district || "",
      customerId: canonical.customer?.customerId ?? "",
      vip: canonical.customer?.vip ?? false,
      lines: canonical.lines.map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        description: l.description,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        lineTotalMinor: l.lineTotalMinor,
      })),
      totals: canonical.totals ?? {
        linesMinor: 0,
        discountMinor: 0,
        shippingFeeMinor: 0,
        serviceFeeMinor: 0,
        taxMinor: 0,
        grandTotalMinor: 0,
        currency: "CNY",
      },
      paymentMethod: canonical.paymentMethod,
      prepaid: canonical.prepaid,
      tags: canonical.tags,
      partialShipmentAllowed: canonical.partialShipmentAllowed,
      requestedFrom: canonical.requestedFrom,
      requestedUntil: canonical.requestedUntil,
    },
  };
}
