import { describe, expect, it } from "vitest";
import { channelAdapterOf, directChannelAdapter, toCanonicalOrder } from "./channel-mapping.ts";
import type { OrderSubmission } from "./order-submission.ts";
import { checkedOrderOf, preCheck } from "./pre-check.ts";
import type { Store } from "./store-catalogue.ts";

const store: Store = {
  storeId: "store-a",
  name: "Store A",
  currency: "CNY",
  serviceAreas: ["Jing'an"],
  orderKinds: ["goods"],
  fulfillmentMethods: ["ship"],
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 0,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
};
const priceList = new Map([
  ["VASE", { sku: "VASE", description: "Glass vase, large", kind: "goods" as const, unitPriceMinor: 38_800, handling: ["fragile"], skills: [] }],
  ["BERRIES", { sku: "BERRIES", description: "Strawberries 500 g", kind: "goods" as const, unitPriceMinor: 5_990, handling: ["perishable"], skills: [] }],
]);

const submission = (overrides: Partial<OrderSubmission> = {}): OrderSubmission => ({
  channel: "app",
  channelOrderId: "APP-7",
  storeId: "store-a",
  kind: "goods",
  fulfillmentMethod: "ship",
  customer: {
    customerId: "c-42",
    name: " Zhou Lan ",
    email: "zhou.lan@example.com",
    address: { line1: "88 Nanjing West Road", city: "Shanghai", district: "JING'AN", country: "CN" },
    vip: true,
  },
  lines: [
    { sku: "VASE", quantity: 1, unitPriceMinor: 38_800, specialRequests: "gift wrap" },
    { sku: "BERRIES", description: "Dandong strawberries", quantity: 2, unitPriceMinor: 5_990 },
  ],
  totals: { discountMinor: 780, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 50_000, currency: "CNY" },
  paymentMethod: "third-party",
  prepaid: true,
  requestedFrom: "2026-05-01T09:00:00+08:00",
  notes: "ring twice",
  ...overrides,
});

const canonicalOf = (s: OrderSubmission, confirmedByChannel = directChannelAdapter.confirmedByChannel(s)) =>
  toCanonicalOrder(checkedOrderOf(preCheck(s, { store, priceList })), { orderId: "o-1", orderedAt: new Date("2026-04-30T10:00:00Z"), confirmedByChannel });

describe("channel mapping", () => {
  it("maps a direct channel's order to the canonical order, priced and tagged by the pre-check", () => {
    expect(canonicalOf(submission())).toEqual({
      orderId: "o-1",
      storeId: "store-a",
      channel: "app",
      channelOrderId: "APP-7",
      kind: "goods",
      fulfillmentMethod: "ship",
      region: "Jing'an",
      customer: {
        customerId: "c-42",
        name: "Zhou Lan",
        phone: "",
        email: "zhou.lan@example.com",
        address: { line1: "88 Nanjing West Road", line2: "", city: "Shanghai", district: "JING'AN", postalCode: "", country: "CN" },
        vip: true,
      },
      lines: [
        { lineId: "1", sku: "VASE", description: "Glass vase, large", quantity: 1, unitPriceMinor: 38_800, lineTotalMinor: 38_800, specialRequests: "gift wrap" },
        { lineId: "2", sku: "BERRIES", description: "Dandong strawberries", quantity: 2, unitPriceMinor: 5_990, lineTotalMinor: 11_980, specialRequests: "" },
      ],
      totals: { linesMinor: 50_780, discountMinor: 780, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 50_000, currency: "CNY" },
      paymentMethod: "third-party",
      prepaid: true,
      orderedAt: "2026-04-30T10:00:00.000Z",
      requestedFrom: "2026-05-01T09:00:00+08:00",
      requestedUntil: "",
      tags: ["fragile", "perishable"],
      notes: "ring twice",
      confirmedByChannel: false,
      partialShipmentAllowed: false,
      sealedContact: Buffer.alloc(0),
    });
  });

  it("marks the order confirmed by the channel when the customer confirmed at checkout", () => {
    expect(canonicalOf(submission({ confirmedByCustomer: true })).confirmedByChannel).toBe(true);
    expect(canonicalOf(submission({ confirmedByCustomer: false })).confirmedByChannel).toBe(false);
  });

  it("lets lines ship separately when the customer accepts it or the store's rule allows it", () => {
    const allowed = (s: OrderSubmission, storeRule: boolean) =>
      toCanonicalOrder(checkedOrderOf(preCheck(s, { store: { ...store, partialShipments: storeRule }, priceList })), {
        orderId: "o-1",
        orderedAt: new Date("2026-04-30T10:00:00Z"),
        confirmedByChannel: false,
      }).partialShipmentAllowed;
    expect(allowed(submission({ partialShipment: true }), false)).toBe(true);
    expect(allowed(submission(), true)).toBe(true);
    expect(allowed(submission({ partialShipment: false }), false)).toBe(false);
    expect(allowed(submission(), false)).toBe(false);
  });

  it("has an adapter for every direct channel and none for unknown ones", () => {
    for (const channel of ["website", "app", "pos", "phone", "email", "social"]) expect(channelAdapterOf(channel)).toBe(directChannelAdapter);
    expect(channelAdapterOf("marketplace:unknown")).toBeUndefined();
  });
});
