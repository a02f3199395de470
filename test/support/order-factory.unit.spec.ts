import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DemoChain } from "@oms/service-kit";
import { benchChain } from "../bench/src/bench-chain.ts";
import { businessCustomers, OrderFactory, parseMix, totalsOf } from "./order-factory.ts";

const demo = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../infra/demo/chain.json"), "utf8")) as DemoChain;

describe("order factory", () => {
  const orders = Array.from({ length: 2_000 }, ((factory) => () => factory.next())(new OrderFactory(demo, parseMix(""), "run1")));

  it("computes totals by the store's rules: shipping below the free threshold, nothing for pick-up", () => {
    const store = demo.stores[0]!;
    expect(totalsOf(store, "ship", [{ quantity: 1, unitPriceMinor: 5_990 }])).toMatchObject({ shippingFeeMinor: store.shippingFeeMinor, grandTotalMinor: 5_990 + store.shippingFeeMinor });
    expect(totalsOf(store, "ship", [{ quantity: 2, unitPriceMinor: 19_900 }]).shippingFeeMinor).toBe(0);
    expect(totalsOf(store, "pickup", [{ quantity: 1, unitPriceMinor: 5_990 }]).shippingFeeMinor).toBe(0);
  });

  it("orders only what each store sells and has stock of, at list prices, below the review threshold", () => {
    const prices = new Map(demo.priceList.map((i) => [i.sku, i]));
    for (const order of orders) {
      const store = demo.stores.find((s) => s.storeId === order.storeId)!;
      expect(order.totals.grandTotalMinor).toBeLessThan(store.reviewThresholdMinor);
      for (const line of order.lines) {
        expect(line.unitPriceMinor).toBe(prices.get(line.sku)!.unitPriceMinor);
        expect(prices.get(line.sku)!.kind).toBe(order.kind);
        if (order.kind === "goods") expect(demo.stock.some((s) => s.storeId === order.storeId && s.sku === line.sku)).toBe(true);
      }
      if (order.fulfillmentMethod !== "pickup") expect(store.serviceAreas).toContain(order.customer.address.district);
      if (order.kind === "service") expect(order.requestedFrom).toBeDefined();
    }
  });

  it("sends service orders only where someone with the skills works, and no pick-ups without a counter clerk", () => {
    for (const order of orders.filter((o) => o.kind === "service")) {
      const skills = demo.priceList.find((i) => i.sku === order.lines[0]!.sku)!.skills ?? [];
      const able = demo.staff.filter((s) => s.storeId === order.storeId && skills.every((k) => s.skills.some((x) => x.skill === k)));
      expect(able.flatMap((s) => s.regions)).toContain(order.customer.address.district);
    }
    const noCounter = { ...demo, staff: demo.staff.filter((s) => !s.skills.some((k) => k.skill === "counter")) };
    const withoutClerks = Array.from({ length: 500 }, ((factory) => () => factory.next())(new OrderFactory(noCounter, parseMix("pickup=1"), "run2")));
    expect(withoutClerks.some((o) => o.fulfillmentMethod === "pickup")).toBe(false);
    const withClerks = Array.from({ length: 500 }, ((factory) => () => factory.next())(new OrderFactory(benchChain(noCounter), parseMix(""), "run3")));
    expect(withClerks.some((o) => o.fulfillmentMethod === "pickup")).toBe(true);
  });

  it("plays the mix: every channel, goods and services, later confirmations and payments on delivery", () => {
    const share = (test: (o: (typeof orders)[number]) => boolean) => orders.filter(test).length / orders.length;
    expect(new Set(orders.map((o) => o.channel))).toEqual(new Set(["website", "app", "pos", "phone", "email", "social"]));
    expect(share((o) => o.kind === "service")).toBeGreaterThan(0.08);
    expect(share((o) => !o.confirmedByCustomer)).toBeGreaterThan(0.05);
    expect(share((o) => !o.prepaid)).toBeGreaterThan(0.1);
    expect(new Set(orders.map((o) => o.channelOrderId)).size).toBe(orders.length);
  });

  it("gives the same orders for the same seed", () => {
    const a = new OrderFactory(demo, parseMix(""), "same", 5).next();
    const b = new OrderFactory(demo, parseMix(""), "same", 5).next();
    expect(a).toEqual({ ...b, requestedFrom: a.requestedFrom, requestedUntil: a.requestedUntil });
  });

  it("reads a mix from the command line and refuses what it does not know", () => {
    expect(parseMix("service=0.5,channel.app=2")).toMatchObject({ service: 0.5, channels: expect.objectContaining({ app: 2 }) });
    expect(() => parseMix("services=0.5")).toThrow(/unknown key services/);
    expect(() => parseMix("service=-1")).toThrow(/not key=<number/);
  });

  it("buys a share of goods orders on credit by the business customers, and leaves every other order as it was without them", () => {
    const plain = orders;
    const withCredit = Array.from({ length: 2_000 }, ((factory) => () => factory.next())(new OrderFactory(demo, parseMix("onCredit=0.1"), "run1")));
    const onCredit = withCredit.filter((o) => o.paymentMethod === "on-credit");
    const goods = withCredit.filter((o) => o.kind === "goods").length;
    expect(onCredit.length / goods).toBeGreaterThan(0.07);
    expect(onCredit.length / goods).toBeLessThan(0.13);
    for (const order of onCredit) expect(order).toMatchObject({ kind: "goods", prepaid: false, customer: { customerId: expect.stringMatching(/^bench-b2b-\d$/) } });
    expect(new Set(onCredit.map((o) => o.customer.customerId))).toEqual(new Set(businessCustomers));
    // The seeded stream is not drawn from: order for order the same stores, lines and totals, and only the on-credit ones' buyer and payment differ.
    const timeless = (o: (typeof orders)[number]) => ({ ...o, requestedFrom: "", requestedUntil: "" });
    const differing = withCredit.flatMap((o, i) => {
      const before = timeless(plain[i]!);
      const expected = o.paymentMethod === "on-credit" ? { ...before, customer: o.customer, paymentMethod: "on-credit", prepaid: false } : before;
      return JSON.stringify(timeless(o)) === JSON.stringify(expected) ? [] : [o.channelOrderId];
    });
    expect(differing).toEqual([]);
    // The benchmark's mix buys nothing on credit.
    expect(plain.some((o) => o.paymentMethod === "on-credit")).toBe(false);
  });

  it("splits a share of ship orders over two stores that each alone hold one of the goods, for a customer both deliver to", () => {
    const chain = benchChain(demo);
    const factory = new OrderFactory(chain, parseMix("split=1,service=0,pickup=0"), "run-split");
    const split = Array.from({ length: 50 }, () => factory.next()).filter((o) => o.partialShipment);
    expect(split.length).toBe(50);
    const holders = (sku: string) => chain.stock.filter((l) => l.sku === sku).map((l) => l.storeId);
    for (const order of split) {
      expect(order).toMatchObject({ kind: "goods", fulfillmentMethod: "ship", prepaid: true, customer: { address: { district: "Huangpu" } } });
      expect(order.lines.map((l) => holders(l.sku))).toEqual([["store-sh-jingan"], ["store-sh-pudong"]]);
      expect(order.totals).toEqual(totalsOf(chain.stores.find((s) => s.storeId === order.storeId)!, "ship", order.lines));
    }
    // The demo chain has no two stores holding goods the other lacks: no order there is split.
    expect(orders.some((o) => o.partialShipment)).toBe(false);
  });
});
