import { describe, expect, it } from "vitest";
import { preCheck } from "./pre-check.ts";
import type { PriceListItem, Store } from "./store-catalogue.ts";
import { priceListAtStore, pricesByStore, storePriceKey, storePriceProblems } from "./store-price.ts";
import { substitute } from "./substitution.ts";
import type { OrderSubmission } from "./order-submission.ts";

const kettle: PriceListItem = { sku: "KETTLE-1L7", description: "Kettle", kind: "goods", unitPriceMinor: 19_900, handling: [], skills: [] };
const towels: PriceListItem = { sku: "TOWEL-SET-4", description: "Towels", kind: "goods", unitPriceMinor: 12_900, handling: ["fragile"], skills: [] };
const recalled: PriceListItem = { sku: "LAMP-1", description: "Lamp", kind: "goods", unitPriceMinor: 5_000, handling: [], skills: [], withdrawn: { reason: "recalled" } };
const chain: ReadonlyMap<string, PriceListItem> = new Map([kettle, towels, recalled].map((i) => [i.sku, i]));

describe("the chain's list as a store charges it", () => {
  it("prices the store's items at its own price, keeps the chain's beside it, and leaves the rest as the chain lists them", () => {
    const atStore = priceListAtStore(chain, new Map([["KETTLE-1L7", 23_900]]));
    expect(atStore.get("KETTLE-1L7")).toEqual({ ...kettle, unitPriceMinor: 23_900, chainUnitPriceMinor: 19_900 });
    expect(atStore.get("TOWEL-SET-4")).toBe(towels);
    // The chain's list is not changed for the other stores.
    expect(chain.get("KETTLE-1L7")!.unitPriceMinor).toBe(19_900);
  });

  it("answers the chain's list itself for a store without prices of its own", () => {
    expect(priceListAtStore(chain, undefined)).toBe(chain);
    expect(priceListAtStore(chain, new Map())).toBe(chain);
  });

  it("keeps a withdrawn item withdrawn whatever the store charges, and ignores a price of an item the chain no longer lists", () => {
    const atStore = priceListAtStore(chain, new Map([["LAMP-1", 4_000], ["GONE-1", 100]]));
    expect(atStore.get("LAMP-1")).toMatchObject({ unitPriceMinor: 4_000, withdrawn: { reason: "recalled" } });
    expect(atStore.has("GONE-1")).toBe(false);
  });

  it("groups the stores' prices by store and keys each pair on the topic by store and item", () => {
    const grouped = pricesByStore([
      { storeId: "s-1", sku: "A", unitPriceMinor: 1 },
      { storeId: "s-1", sku: "B", unitPriceMinor: 2 },
      { storeId: "s-2", sku: "A", unitPriceMinor: 3 },
    ]);
    expect([...grouped.get("s-1")!]).toEqual([["A", 1], ["B", 2]]);
    expect([...grouped.get("s-2")!]).toEqual([["A", 3]]);
    expect(storePriceKey("store-sh-jingan", "KETTLE-1L7")).toBe("store-sh-jingan/KETTLE-1L7");
  });
});

describe("a store's price as given", () => {
  const fine = { storeExists: true, item: kettle };

  it("takes a positive whole price of an item on sale at a store of the chain", () => {
    expect(storePriceProblems(fine, 1).list()).toEqual([]);
    expect(storePriceProblems(fine, 100_000_000_000).list()).toEqual([]);
  });

  it("names each wrong field: an unknown store, an item the chain does not list, a price that is not a positive whole amount", () => {
    expect(storePriceProblems({ storeExists: false, item: undefined }, 0).list().map((e) => e.field)).toEqual(["storeId", "sku", "unitPriceMinor"]);
    for (const price of [0, -1, 1.5, Number.NaN, 100_000_000_001]) {
      expect(storePriceProblems(fine, price).list()).toEqual([{ field: "unitPriceMinor", message: "must be a positive whole amount in minor units" }]);
    }
  });

  it("refuses a price for a withdrawn item, saying why it is off sale", () => {
    expect(storePriceProblems({ storeExists: true, item: recalled }, 4_000).list()).toEqual([
      { field: "sku", message: "is withdrawn from sale (recalled): no store may offer it until the chain puts it back" },
    ]);
  });
});

describe("the pre-check at a store with its own price", () => {
  const store: Store = {
    storeId: "s-1",
    name: "Store",
    currency: "CNY",
    serviceAreas: ["Xihu"],
    orderKinds: ["goods"],
    fulfillmentMethods: ["pickup"],
    shippingFeeMinor: 0,
    freeShippingFromMinor: 0,
    taxRateBasisPoints: 0,
    reviewThresholdMinor: 10_000_000,
    reviewLineQuantityAbove: 50,
  };
  const order = (unitPriceMinor: number): OrderSubmission => ({
    channel: "web",
    channelOrderId: "o-1",
    storeId: "s-1",
    kind: "goods",
    fulfillmentMethod: "pickup",
    customer: { name: "Li", phone: "13800000000", address: { line1: "1 Road", city: "Hangzhou", district: "Xihu", country: "CN" } },
    lines: [{ sku: "KETTLE-1L7", quantity: 2, unitPriceMinor }],
    totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 2 * unitPriceMinor, currency: "CNY" },
    paymentMethod: "cash",
    prepaid: false,
  });

  it("prices the lines at the store's price, and refuses the chain's price naming the store's", () => {
    const priceList = priceListAtStore(chain, new Map([["KETTLE-1L7", 23_900]]));
    const passed = preCheck(order(23_900), { store, priceList });
    expect(passed.verdict, JSON.stringify(passed)).toBe("passed");
    if (passed.verdict === "passed") expect(passed.order.lines[0]).toMatchObject({ unitPriceMinor: 23_900, lineTotalMinor: 47_800 });
    expect(preCheck(order(19_900), { store, priceList })).toEqual({
      verdict: "invalid",
      fields: [{ field: "lines[0].unitPriceMinor", message: "must be 23900, this store's price" }],
    });
    expect(preCheck(order(19_900), { store, priceList: chain }).verdict).toBe("passed");
  });
});

describe("a substitution at a store with its own price", () => {
  it("moves the line to the substitute at the store's price, not the chain's", () => {
    const store = { storeId: "s-1", name: "Store", currency: "CNY", serviceAreas: ["Xihu"], orderKinds: ["goods"], fulfillmentMethods: ["ship"], shippingFeeMinor: 0, freeShippingFromMinor: 0, taxRateBasisPoints: 0, reviewThresholdMinor: 10_000_000, reviewLineQuantityAbove: 50 } as Store;
    const line = { lineId: "1", sku: "KETTLE-1L7", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900, specialRequests: "" };
    const order = { lines: [line], totals: { linesMinor: 19_900, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 19_900, currency: "CNY" }, fulfillmentMethod: "ship" as const, prepaid: false };
    const { lines } = substitute(order, [{ sku: "KETTLE-1L7", substituteSku: "TOWEL-SET-4" }], store, priceListAtStore(chain, new Map([["TOWEL-SET-4", 9_900]])));
    expect(lines[0]).toMatchObject({ sku: "TOWEL-SET-4", unitPriceMinor: 9_900, lineTotalMinor: 9_900 });
  });
});
