import { describe, expect, it } from "vitest";
import { fieldsRefused } from "@oms/testing/refusals";
import { channelAdapterOf, toCanonicalOrder } from "../channel-mapping.ts";
import { checkedOrderOf, preCheck } from "../pre-check.ts";
import type { Store } from "../store-catalogue.ts";
import { pinduoduoAdapter, type PinduoduoOrder } from "./pinduoduo.ts";
import { platformRouting } from "./platform-routing.ts";
import { tmallAdapter, type TmallOrder } from "./tmall.ts";

const store = (storeId: string, serviceAreas: string[]): Store => ({
  storeId,
  name: storeId,
  currency: "CNY",
  serviceAreas,
  orderKinds: ["goods"],
  fulfillmentMethods: ["ship", "pickup"],
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 0,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
});
const stores = new Map([
  ["store-jingan", store("store-jingan", ["Jing'an", "Huangpu"])],
  ["store-pudong", store("store-pudong", ["Pudong", "Huangpu"])],
]);
const priceList = new Map([
  ["KETTLE", { sku: "KETTLE", description: "Kettle", kind: "goods" as const, unitPriceMinor: 19_900, handling: [], skills: [] }],
  ["TOWELS", { sku: "TOWELS", description: "Towels", kind: "goods" as const, unitPriceMinor: 12_950, handling: [], skills: [] }],
]);
const routing = (platform: string) =>
  platformRouting({ platform, defaultStoreId: "store-pudong", storesByDistrict: { "Jing'an": "store-jingan" }, skuByItemId: { "TM-1": "KETTLE", "TM-2": "TOWELS", "77": "TOWELS" } });

const tmallOrder = (over: Partial<TmallOrder> = {}): TmallOrder => ({
  tid: "4100000001",
  buyer: { nick: "zhou_lan", mobile: "13800138000", receiver: { state: "Shanghai", city: "Shanghai", district: "JINGAN", address: "88 Nanjing West Road" } },
  orders: [
    { outer_iid: "TM-1", title: "Kettle 1.7 L", num: 1, price_fen: 19_900 },
    { outer_iid: "TM-2", num: 2, price_fen: 12_950 },
  ],
  payment: { total_fee_fen: 45_800, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
  ...over,
});

const pddOrder = (over: Partial<PinduoduoOrder> = {}): PinduoduoOrder => ({
  order_sn: "260501-000000001",
  receiver_name: "Wang Fang",
  receiver_phone: "13900139000",
  province: "Shanghai",
  city: "Shanghai",
  town: "Pudong",
  address: "1 Century Avenue",
  goods_id: "77",
  goods_name: "Towels",
  goods_count: 1,
  goods_price: "129.5",
  pay_amount: "141.50",
  postage: "12",
  discount_amount: "0.00",
  confirm_time: "2026-05-01 09:00:00",
  ...over,
});

const fieldsOf = fieldsRefused;

const canonical = (submission: ReturnType<typeof tmallAdapter.toSubmission>, adapter = channelAdapterOf(submission.channel)!) =>
  toCanonicalOrder(checkedOrderOf(preCheck(submission, { store: stores.get(submission.storeId), priceList })), {
    orderId: "o-1",
    orderedAt: new Date("2026-05-01T01:00:00Z"),
    confirmedByChannel: adapter.confirmedByChannel(submission),
  });

describe("tmall orders", () => {
  it("map to the canonical order: channel marketplace:tmall, the tid as channel order id, SKUs and store from the routing, paid → prepaid and confirmed", () => {
    const submission = tmallAdapter.toSubmission({ order: tmallOrder(), routing: routing("tmall") });
    expect(canonical(submission)).toMatchObject({
      channel: "marketplace:tmall",
      channelOrderId: "4100000001",
      storeId: "store-jingan",
      region: "Jing'an",
      kind: "goods",
      fulfillmentMethod: "ship",
      customer: { name: "zhou_lan", phone: "13800138000", address: { line1: "88 Nanjing West Road", city: "Shanghai", district: "JINGAN", country: "CN" } },
      totals: { linesMinor: 45_800, shippingFeeMinor: 0, grandTotalMinor: 45_800, currency: "CNY" },
      paymentMethod: "third-party",
      prepaid: true,
      confirmedByChannel: true,
    });
    expect(submission.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor])).toEqual([["KETTLE", 1, 19_900], ["TOWELS", 2, 12_950]]);
  });

  it("routes a district without a route to the platform's default store, and an unpaid order is neither prepaid nor confirmed", () => {
    const order = tmallOrder({ payment: { total_fee_fen: 21_100, post_fee_fen: 1_200, discount_fee_fen: 0 } });
    order.buyer.receiver.district = "Pudong";
    order.orders = [{ outer_iid: "TM-1", num: 1, price_fen: 19_900 }];
    const submission = tmallAdapter.toSubmission({ order, routing: routing("tmall") });
    expect(submission).toMatchObject({ storeId: "store-pudong", prepaid: false, confirmedByCustomer: false });
    expect(canonical(submission)).toMatchObject({ storeId: "store-pudong", confirmedByChannel: false, totals: { shippingFeeMinor: 1_200 } });
  });

  it("names tmall's fields: an unknown item, no store for the district, and the pre-check's refusals in tmall's terms", () => {
    const noDefault = platformRouting({ platform: "tmall", storesByDistrict: {}, skuByItemId: { "TM-1": "KETTLE" } });
    expect(fieldsOf(() => tmallAdapter.toSubmission({ order: tmallOrder(), routing: noDefault }))).toEqual([
      { field: "buyer.receiver.district", message: "no store of ours serves this district for tmall" },
      { field: "orders[1].outer_iid", message: "is not an item we sell on tmall" },
    ]);
    const wrongPrice = tmallOrder({ orders: [{ outer_iid: "TM-1", num: 1, price_fen: 100 }] });
    const precheck = preCheck(tmallAdapter.toSubmission({ order: wrongPrice, routing: routing("tmall") }), { store: stores.get("store-jingan"), priceList });
    const fields = fieldsOf(() => checkedOrderOf(precheck)).map((f) => tmallAdapter.platformFieldOf!(f.field));
    expect(fields).toEqual(["orders[0].price_fen"]);
    expect(["totals.grandTotalMinor", "totals.shippingFeeMinor", "customer.phone", "customer.address.district"].map(tmallAdapter.platformFieldOf!)).toEqual([
      "payment.total_fee_fen",
      "payment.post_fee_fen",
      "buyer.mobile",
      "buyer.receiver.district",
    ]);
  });
});

describe("pinduoduo orders", () => {
  it("map to the canonical order, decimal yuan read exactly into fen", () => {
    const submission = pinduoduoAdapter.toSubmission({ order: pddOrder(), routing: routing("pinduoduo") });
    expect(canonical(submission)).toMatchObject({
      channel: "marketplace:pinduoduo",
      channelOrderId: "260501-000000001",
      storeId: "store-pudong",
      region: "Pudong",
      customer: { name: "Wang Fang", phone: "13900139000", address: { line1: "1 Century Avenue", district: "Pudong" } },
      lines: [{ sku: "TOWELS", quantity: 1, unitPriceMinor: 12_950, lineTotalMinor: 12_950 }],
      totals: { linesMinor: 12_950, shippingFeeMinor: 1_200, grandTotalMinor: 14_150 },
      prepaid: true,
      confirmedByChannel: true,
    });
  });

  it("refuses amounts with more than two decimals or that are not decimals, naming pinduoduo's fields", () => {
    expect(fieldsOf(() => pinduoduoAdapter.toSubmission({ order: pddOrder({ goods_price: "129.505", postage: "12元" }), routing: routing("pinduoduo") }))).toEqual([
      { field: "goods_price", message: "must have at most 2 decimals" },
      { field: "postage", message: 'must be a decimal amount such as "199.00"' },
    ]);
    expect(fieldsOf(() => pinduoduoAdapter.toSubmission({ order: pddOrder({ goods_id: "999" }), routing: routing("pinduoduo") }))).toEqual([
      { field: "goods_id", message: "is not an item we sell on pinduoduo" },
    ]);
    expect(["lines[0].quantity", "totals.grandTotalMinor", "customer.address.district", "totals.discountMinor"].map(pinduoduoAdapter.platformFieldOf!)).toEqual([
      "goods_count",
      "pay_amount",
      "town",
      "discount_amount",
    ]);
  });
});
