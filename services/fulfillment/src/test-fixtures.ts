import { EventTypes, newEvent, type OrderEvent } from "@oms/contracts";

/** Intake's announcement of a goods order of one kettle, prepaid, as fulfillment receives it. */
export function intakeOrderReceived(orderId: string, confirmedByChannel: boolean, store: string, fulfillmentMethod = "ship"): OrderEvent {
  return newEvent(
    EventTypes.OrderReceived,
    {
      reviewId: "",
      order: {
        orderId,
        storeId: store,
        channel: "website",
        channelOrderId: `W-${orderId}`,
        kind: "goods",
        fulfillmentMethod,
        region: "Jing'an",
        customer: { customerId: "c-42", name: "", phone: "", email: "", address: undefined, vip: false },
        lines: [{ lineId: "1", sku: "KETTLE-1L7", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900, specialRequests: "" }],
        totals: { linesMinor: 19_900, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 19_900, currency: "CNY" },
        paymentMethod: "third-party",
        prepaid: true,
        orderedAt: new Date().toISOString(),
        requestedFrom: "",
        requestedUntil: "",
        tags: [],
        notes: "",
        confirmedByChannel,
        partialShipmentAllowed: false,
      },
    },
    { producer: "intake", orderId, storeId: store, actor: { kind: "customer", id: "c-42", role: "customer" } },
  );
}
