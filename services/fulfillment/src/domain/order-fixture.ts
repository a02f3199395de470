import type { Order } from "./order.ts";

/** For the domain's unit tests: a prepaid website kettle order for store-1, in Jing'an, credit-checked. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: "o-1",
    storeId: "store-1",
    channel: "website",
    channelOrderId: "W-1",
    kind: "goods",
    fulfillmentMethod: "ship",
    region: "Jing'an",
    customerId: "c-1",
    vip: false,
    lines: [{ lineId: "l1", sku: "KETTLE", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900 }],
    totals: { linesMinor: 19_900, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 19_900, currency: "CNY" },
    paymentMethod: "third-party",
    prepaid: true,
    tags: [],
    requestedFrom: "",
    requestedUntil: "",
    status: "credit-checked",
    priority: 0,
    classification: [],
    ...overrides,
  };
}
