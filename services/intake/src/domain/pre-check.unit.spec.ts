import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import type { OrderSubmission } from "./order-submission.ts";
import { OutOfServiceScopeError, checkedOrderOf, preCheck } from "./pre-check.ts";
import type { PriceListItem, Store, StoreOffer } from "./store-catalogue.ts";

const store: Store = {
  storeId: "store-a",
  name: "Jing'an flagship",
  currency: "CNY",
  serviceAreas: ["Jing'an", "Huangpu"],
  orderKinds: ["goods", "service"],
  fulfillmentMethods: ["ship", "pickup", "on-site"],
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 0,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
};

const items: PriceListItem[] = [
  { sku: "KETTLE", description: "Kettle", kind: "goods", unitPriceMinor: 19_900, handling: [], skills: [] },
  { sku: "TOWELS", description: "Towels", kind: "goods", unitPriceMinor: 12_900, handling: [], skills: [] },
  { sku: "VASE", description: "Vase", kind: "goods", unitPriceMinor: 5_000, handling: ["fragile"], skills: [] },
  { sku: "CLEAN", description: "Deep clean", kind: "service", unitPriceMinor: 39_900, handling: [], skills: ["cleaning"] },
];

const offer = (overrides: Partial<Store> = {}, known = true): StoreOffer => ({
  store: known ? { ...store, ...overrides } : undefined,
  priceList: new Map(items.map((i) => [i.sku, i])),
});

const order = (overrides: Partial<OrderSubmission> = {}): OrderSubmission => ({
  channel: "website",
  channelOrderId: "W-1",
  storeId: "store-a",
  kind: "goods",
  fulfillmentMethod: "ship",
  customer: { name: "Zhou Lan", phone: "+86 138 0013 8000", address: { line1: "88 Nanjing West Road", city: "Shanghai", district: "Jing'an", country: "CN" } },
  lines: [
    { sku: "KETTLE", quantity: 1, unitPriceMinor: 19_900 },
    { sku: "TOWELS", quantity: 2, unitPriceMinor: 12_900 },
  ],
  totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 45_700, currency: "CNY" },
  paymentMethod: "third-party",
  prepaid: true,
  ...overrides,
});

const totals = (overrides: Partial<OrderSubmission["totals"]>) => ({ ...order().totals, ...overrides });

function fieldsOf(submission: OrderSubmission, storeOffer = offer()) {
  const verdict = preCheck(submission, storeOffer);
  if (verdict.verdict === "passed") throw new Error("expected the pre-check to refuse");
  return verdict.verdict === "invalid" ? verdict.fields : verdict.reasons;
}

describe("pre-check", () => {
  it("passes a correct order, priced from the list, with the store's spelling of the district", () => {
    const verdict = preCheck(order({ customer: { ...order().customer, address: { ...order().customer.address, district: "jingan" } } }), offer());
    expect(verdict.verdict).toBe("passed");
    const checked = checkedOrderOf(verdict);
    expect(checked.totals).toEqual({ linesMinor: 45_700, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 45_700, currency: "CNY" });
    expect(checked.lines.map((l) => [l.lineId, l.description, l.lineTotalMinor])).toEqual([
      ["1", "Kettle", 19_900],
      ["2", "Towels", 25_800],
    ]);
    expect(checked.region).toBe("Jing'an");
  });

  it("refuses an unknown store", () => {
    expect(fieldsOf(order(), offer({}, false))).toEqual([{ field: "storeId", message: "is not a store of this chain" }]);
  });

  it("refuses a district outside the store's service areas as out of scope, with a reason for the customer", () => {
    const submission = order({ customer: { ...order().customer, address: { ...order().customer.address, district: "Pudong" } } });
    const verdict = preCheck(submission, offer());
    expect(verdict).toEqual({
      verdict: "out-of-scope",
      reasons: [{ field: "customer.address.district", message: "Jing'an flagship does not deliver to this district; it serves Jing'an, Huangpu" }],
    });
    expect(() => checkedOrderOf(verdict)).toThrow(OutOfServiceScopeError);
  });

  it("takes a pickup from anywhere", () => {
    const submission = order({
      fulfillmentMethod: "pickup",
      customer: { ...order().customer, address: { ...order().customer.address, district: "Pudong" } },
    });
    expect(preCheck(submission, offer()).verdict).toBe("passed");
  });

  it("refuses kinds and methods the store does not offer", () => {
    expect(fieldsOf(order(), offer({ orderKinds: ["service"], fulfillmentMethods: ["pickup"] }))).toEqual([
      { field: "kind", message: "Jing'an flagship does not take goods orders" },
      { field: "fulfillmentMethod", message: "Jing'an flagship does not offer ship" },
    ]);
  });

  it("refuses a method that does not fit the kind", () => {
    expect(fieldsOf(order({ fulfillmentMethod: "on-site" }))).toContainEqual({ field: "fulfillmentMethod", message: "must be ship or pickup for a goods order" });
  });

  it("needs a plausible phone or e-mail", () => {
    const customer = order().customer;
    expect(fieldsOf(order({ customer: { ...customer, phone: undefined, email: " " } }))).toEqual([
      { field: "customer.phone", message: "a phone number or an e-mail address is required" },
    ]);
    expect(fieldsOf(order({ customer: { ...customer, phone: "12-34", email: "not-an-email" } }))).toEqual([
      { field: "customer.phone", message: "is not a plausible phone number" },
      { field: "customer.email", message: "is not a plausible e-mail address" },
    ]);
    expect(preCheck(order({ customer: { ...customer, phone: undefined, email: "zhou.lan@example.com" } }), offer()).verdict).toBe("passed");
  });

  it("names each line whose code is unknown, of the wrong kind, or not at the listed price", () => {
    const lines = [
      { sku: "NOPE", quantity: 1, unitPriceMinor: 1 },
      { sku: "CLEAN", quantity: 1, unitPriceMinor: 39_900 },
      { sku: "KETTLE", quantity: 1, unitPriceMinor: 19_000 },
    ];
    expect(fieldsOf(order({ lines }))).toEqual([
      { field: "lines[0].sku", message: "is not on the price list" },
      { field: "lines[1].sku", message: "is a service item and cannot be part of a goods order" },
      { field: "lines[2].unitPriceMinor", message: "must be 19900, the listed price" },
    ]);
  });

  it("charges shipping below the free-shipping threshold, after discount", () => {
    const lines = [{ sku: "KETTLE", quantity: 1, unitPriceMinor: 19_900 }];
    const expected = totals({ shippingFeeMinor: 1_200, grandTotalMinor: 21_100 });
    expect(preCheck(order({ lines, totals: expected }), offer()).verdict).toBe("passed");
    const discounted = order({ totals: totals({ discountMinor: 30_000, shippingFeeMinor: 0, grandTotalMinor: 15_700 }) });
    expect(fieldsOf(discounted)).toEqual([
      { field: "totals.shippingFeeMinor", message: "must be 1200 (1200, free from 20000 after discount)" },
      { field: "totals.grandTotalMinor", message: "must be 16900 (lines 45700 - discount 30000 + shipping 1200 + service fee 0 + tax 0)" },
    ]);
  });

  it("charges no shipping for pickup", () => {
    expect(fieldsOf(order({ fulfillmentMethod: "pickup", totals: totals({ shippingFeeMinor: 1_200, grandTotalMinor: 46_900 }) }))).toEqual([
      { field: "totals.shippingFeeMinor", message: "must be 0 (nothing is shipped for pickup)" },
      { field: "totals.grandTotalMinor", message: "must be 45700 (lines 45700 - discount 0 + shipping 0 + service fee 0 + tax 0)" },
    ]);
  });

  it("recomputes tax by the store's rate, rounded half up, and adds the service fee", () => {
    const taxed = offer({ taxRateBasisPoints: 1_300 });
    // 45700 × 13% = 5941
    expect(preCheck(order({ totals: totals({ taxMinor: 5_941, serviceFeeMinor: 500, grandTotalMinor: 52_141 }) }), taxed).verdict).toBe("passed");
    expect(fieldsOf(order({ totals: totals({ taxMinor: 5_940, grandTotalMinor: 51_640 }) }), taxed)).toEqual([
      { field: "totals.taxMinor", message: "must be 5941 (13% of the lines total after discount)" },
      { field: "totals.grandTotalMinor", message: "must be 51641 (lines 45700 - discount 0 + shipping 0 + service fee 0 + tax 5941)" },
    ]);
  });

  it("refuses a wrong grand total, a discount above the lines total, and a foreign currency", () => {
    expect(fieldsOf(order({ totals: totals({ grandTotalMinor: 45_701 }) }))).toEqual([
      { field: "totals.grandTotalMinor", message: "must be 45700 (lines 45700 - discount 0 + shipping 0 + service fee 0 + tax 0)" },
    ]);
    expect(fieldsOf(order({ totals: totals({ discountMinor: 50_000 }) }))).toEqual([
      { field: "totals.discountMinor", message: "must not exceed the lines total of 45700" },
    ]);
    expect(fieldsOf(order({ totals: totals({ currency: "USD" }) }))).toEqual([{ field: "totals.currency", message: "must be CNY, the store's currency" }]);
  });

  it("needs an appointment time for a service, and a window that ends after it starts", () => {
    const service = order({
      kind: "service",
      fulfillmentMethod: "on-site",
      lines: [{ sku: "CLEAN", quantity: 1, unitPriceMinor: 39_900 }],
      totals: totals({ grandTotalMinor: 39_900 }),
    });
    expect(fieldsOf(service)).toEqual([{ field: "requestedFrom", message: "a service needs an appointment time" }]);
    const window = { requestedFrom: "2026-05-01T09:00:00+08:00", requestedUntil: "2026-05-01T12:00:00+08:00" };
    const passed = checkedOrderOf(preCheck({ ...service, ...window }, offer()));
    expect(passed.tags).toEqual(["skill:cleaning"]);
    expect(fieldsOf({ ...service, requestedFrom: window.requestedUntil, requestedUntil: window.requestedFrom })).toEqual([
      { field: "requestedUntil", message: "must be after requestedFrom" },
    ]);
  });

  it("refuses a requested time that has passed when the order is placed, judged by the window's end", () => {
    const service = order({ kind: "service", fulfillmentMethod: "on-site", lines: [{ sku: "CLEAN", quantity: 1, unitPriceMinor: 39_900 }], totals: totals({ grandTotalMinor: 39_900 }) });
    const window = { requestedFrom: "2026-05-01T09:00:00+08:00", requestedUntil: "2026-05-01T12:00:00+08:00" };
    const past = { field: "requestedUntil", message: "is in the past: the requested time must still be ahead" };
    expect(preCheck({ ...service, ...window }, offer(), new Date("2026-05-01T12:00:00+08:00"))).toEqual({ verdict: "invalid", fields: [past] });
    // A window under way is still a window.
    expect(preCheck({ ...service, ...window }, offer(), new Date("2026-05-01T11:00:00+08:00")).verdict).toBe("passed");
    expect(preCheck({ ...service, requestedFrom: window.requestedFrom }, offer(), new Date("2026-05-02T00:00:00+08:00"))).toEqual({
      verdict: "invalid",
      fields: [{ ...past, field: "requestedFrom" }],
    });
  });

  it("gives one message per field and reports scope with the other problems of an invalid order", () => {
    const submission = order({
      customer: { ...order().customer, phone: "x", address: { ...order().customer.address, district: "Pudong" } },
      totals: totals({ currency: "USD", grandTotalMinor: 1 }),
    });
    const verdict = preCheck(submission, offer());
    expect(verdict.verdict).toBe("invalid");
    const fields = fieldsOf(submission).map((f) => f.field);
    expect(fields).toEqual(["customer.phone", "totals.currency", "totals.grandTotalMinor", "customer.address.district"]);
    expect(() => checkedOrderOf(verdict)).toThrow(ValidationError);
  });

  it("tags the handling the items need", () => {
    const lines = [
      { sku: "VASE", quantity: 1, unitPriceMinor: 5_000 },
      { sku: "KETTLE", quantity: 1, unitPriceMinor: 19_900 },
    ];
    expect(checkedOrderOf(preCheck(order({ lines, totals: totals({ grandTotalMinor: 24_900 }) }), offer())).tags).toEqual(["fragile"]);
  });
});

describe("pre-check: business hours", () => {
  // Open Mon–Sat 09:00–21:00 in Shanghai (UTC+8); 2026-05-01 is a Friday, 2026-05-03 a Sunday.
  const hours = { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6], timeZone: "Asia/Shanghai" };
  const withHours = offer({ businessHours: hours });
  const closedThen = { field: "requestedFrom", message: "Jing'an flagship is closed then: open Mon–Sat 09:00–21:00 (Asia/Shanghai)" };
  const closedNow = { field: "storeId", message: "Jing'an flagship is closed now: open Mon–Sat 09:00–21:00 (Asia/Shanghai)" };
  const counter = (overrides: Partial<OrderSubmission> = {}) => order({ channel: "pos", channelOrderId: "POS-1", paymentMethod: "cash", ...overrides });
  const pickup = (window: Partial<OrderSubmission>) => order({ fulfillmentMethod: "pickup", ...window });
  const visit = (window: Partial<OrderSubmission>) =>
    order({
      kind: "service",
      fulfillmentMethod: "on-site",
      lines: [{ sku: "CLEAN", quantity: 1, unitPriceMinor: 39_900 }],
      totals: totals({ grandTotalMinor: 39_900 }),
      ...window,
    });

  it("takes a counter order while the store is open, on the store's clock, and refuses it as out of scope when closed", () => {
    expect(preCheck(counter(), withHours, new Date("2026-05-01T10:00:00+08:00")).verdict).toBe("passed");
    // 02:00 UTC is 10:00 in Shanghai; 13:30 UTC is 21:30 there.
    expect(preCheck(counter(), withHours, new Date("2026-05-01T02:00:00Z")).verdict).toBe("passed");
    for (const placedAt of ["2026-05-01T13:30:00Z", "2026-05-01T21:00:00+08:00", "2026-05-03T12:00:00+08:00"]) {
      const verdict = preCheck(counter(), withHours, new Date(placedAt));
      expect(verdict, placedAt).toEqual({ verdict: "out-of-scope", reasons: [closedNow] });
      expect(() => checkedOrderOf(verdict)).toThrow(OutOfServiceScopeError);
    }
    // Whether it is then shipped or collected at once.
    expect(preCheck(counter({ fulfillmentMethod: "pickup" }), withHours, new Date("2026-05-02T20:59:00+08:00")).verdict).toBe("passed");
    expect(preCheck(counter({ fulfillmentMethod: "pickup" }), withHours, new Date("2026-05-03T12:00:00+08:00"))).toEqual({ verdict: "out-of-scope", reasons: [closedNow] });
  });

  it("ships around the clock: a website order or a ship window outside the hours passes", () => {
    const sunday = new Date("2026-05-03T23:00:00+08:00");
    expect(preCheck(order(), withHours, sunday).verdict).toBe("passed");
    expect(preCheck(order({ requestedFrom: "2026-05-03T23:10:00+08:00", requestedUntil: "2026-05-03T23:50:00+08:00" }), withHours, sunday).verdict).toBe("passed");
  });

  it("needs a pick-up's requested window to meet the opening hours on an open day", () => {
    const placedAt = new Date("2026-05-01T10:00:00+08:00");
    expect(preCheck(pickup({ requestedFrom: "2026-05-03T10:00:00+08:00", requestedUntil: "2026-05-03T12:00:00+08:00" }), withHours, placedAt)).toEqual({
      verdict: "out-of-scope",
      reasons: [closedThen],
    });
    expect(fieldsOf(pickup({ requestedFrom: "2026-05-01T21:00:00+08:00", requestedUntil: "2026-05-01T23:00:00+08:00" }), withHours)).toEqual([closedThen]);
    expect(fieldsOf(pickup({ requestedFrom: "2026-05-04T08:30:00+08:00" }), withHours)).toEqual([closedThen]);
    expect(preCheck(pickup({ requestedFrom: "2026-05-02T20:30:00+08:00", requestedUntil: "2026-05-02T22:00:00+08:00" }), withHours, placedAt).verdict).toBe("passed");
    expect(preCheck(pickup({ requestedFrom: "2026-05-04T09:00:00+08:00" }), withHours, placedAt).verdict).toBe("passed");
    // Collected whenever the store is open.
    expect(preCheck(pickup({}), withHours, new Date("2026-05-03T12:00:00+08:00")).verdict).toBe("passed");
  });

  it("needs an on-site visit's appointment window to meet the opening hours on an open day", () => {
    expect(fieldsOf(visit({ requestedFrom: "2026-05-03T10:00:00+08:00", requestedUntil: "2026-05-03T13:00:00+08:00" }), withHours)).toEqual([closedThen]);
    expect(preCheck(visit({ requestedFrom: "2026-05-04T10:00:00+08:00", requestedUntil: "2026-05-04T13:00:00+08:00" }), withHours).verdict).toBe("passed");
  });

  it("reports the hours with the other problems of an invalid order, and does not judge a window that ends before it starts", () => {
    const wrong = counter({ totals: totals({ grandTotalMinor: 1 }) });
    expect(preCheck(wrong, withHours, new Date("2026-05-03T12:00:00+08:00"))).toMatchObject({
      verdict: "invalid",
      fields: [{ field: "totals.grandTotalMinor" }, closedNow],
    });
    expect(fieldsOf(pickup({ requestedFrom: "2026-05-03T12:00:00+08:00", requestedUntil: "2026-05-03T10:00:00+08:00" }), withHours)).toEqual([
      { field: "requestedUntil", message: "must be after requestedFrom" },
    ]);
  });

  it("takes every order at any time from a store that publishes no hours", () => {
    const sunday = new Date("2026-05-03T03:00:00+08:00");
    expect(preCheck(counter(), offer(), sunday).verdict).toBe("passed");
    expect(preCheck(pickup({ requestedFrom: "2026-05-03T03:30:00+08:00" }), offer(), sunday).verdict).toBe("passed");
  });
});

describe("pre-check against the administered catalogue (ADR 028)", () => {
  it("turns every order down at a store not taking orders, saying so on storeId", () => {
    const verdict = preCheck(order(), offer({ acceptingOrders: false }));
    expect(verdict).toEqual({ verdict: "out-of-scope", reasons: [{ field: "storeId", message: "Jing'an flagship is not taking new orders for now" }] });
    expect(preCheck(order(), offer({ acceptingOrders: true })).verdict).toBe("passed");
  });

  it("refuses a line naming a withdrawn item, saying it is no longer on sale rather than unknown", () => {
    const withdrawn = new Map(items.map((i) => [i.sku, i.sku === "TOWELS" ? { ...i, withdrawn: { reason: "recalled" } } : i]));
    expect(fieldsOf(order(), { store, priceList: withdrawn })).toEqual([{ field: "lines[1].sku", message: "is no longer on sale (withdrawn: recalled)" }]);
  });
});
