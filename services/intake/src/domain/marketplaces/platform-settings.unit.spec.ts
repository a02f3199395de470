import { describe, expect, it } from "vitest";
import {
  assertReadablePlatform,
  assertValidPlatformSettings,
  callbackUrlProblem,
  maxDistricts,
  namedInSettings,
  platformSettingsProblems,
  sameSettings,
  type CatalogueFacts,
  type PlatformSettings,
} from "./platform-settings.ts";

const catalogue: CatalogueFacts = {
  stores: new Set(["store-sh-jingan", "store-sh-pudong"]),
  items: new Map([
    ["KETTLE-1L7", { withdrawn: false }],
    ["VASE-GLASS-L", { withdrawn: true }],
  ]),
};
const settings: PlatformSettings = {
  platform: "tmall",
  defaultStoreId: "store-sh-jingan",
  storesByDistrict: { "Jing'an": "store-sh-jingan", Pudong: "store-sh-pudong" },
  skuByItemId: { "TM-600100": "KETTLE-1L7" },
  callbackUrl: "https://open.tmall.example/oms/status",
};
const problemsOf = (overrides: Partial<PlatformSettings>) => platformSettingsProblems({ ...settings, ...overrides }, catalogue).list();

describe("a marketplace's settings, validated whole against the catalogue (ADR 028)", () => {
  it("takes settings naming stores and items on sale, with or without a default store or callback", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ defaultStoreId: undefined, callbackUrl: undefined, storesByDistrict: {}, skuByItemId: {} })).toEqual([]);
  });

  it("names every wrong field at once: unknown stores, unknown and withdrawn items, a bad name and callback", () => {
    const problems = problemsOf({
      platform: "Tmall!",
      defaultStoreId: "store-gone",
      storesByDistrict: { Xihu: "store-hz-none", Pudong: "store-sh-pudong" },
      skuByItemId: { "TM-1": "NOT-SOLD", "TM-2": "VASE-GLASS-L", "TM-3": "KETTLE-1L7" },
      callbackUrl: "ftp://example.com/x",
    });
    expect(problems).toEqual([
      { field: "platform", message: "must be 1 to 32 lower-case letters, digits or '-', starting with a letter" },
      { field: "defaultStoreId", message: "store-gone is not a store of this chain" },
      { field: 'storesByDistrict["Xihu"]', message: "store-hz-none is not a store of this chain" },
      { field: 'skuByItemId["TM-1"]', message: "NOT-SOLD is not on the price list" },
      { field: 'skuByItemId["TM-2"]', message: "VASE-GLASS-L is withdrawn from sale; orders for it would all be refused" },
      { field: "callbackUrl", message: "must be an https URL (http only to localhost, 127.0.0.1 or [::1])" },
    ]);
    expect(() => assertValidPlatformSettings({ ...settings, defaultStoreId: "store-gone" }, catalogue)).toThrow(expect.objectContaining({ code: "platform-settings.invalid" }));
  });

  it("refuses a district named twice as the order path compares them, an empty one, and empty or overlong item ids", () => {
    expect(problemsOf({ storesByDistrict: { "Jing'an": "store-sh-jingan", jingan: "store-sh-pudong" } })).toEqual([
      { field: 'storesByDistrict["jingan"]', message: "jingan is named twice (as Jing'an)" },
    ]);
    expect(problemsOf({ storesByDistrict: { "--": "store-sh-jingan" } }).map((p) => p.field)).toEqual(['storesByDistrict["--"]']);
    expect(problemsOf({ skuByItemId: { " ": "KETTLE-1L7", [`x${"9".repeat(64)}`]: "KETTLE-1L7", "a\u0007": "KETTLE-1L7" } })).toHaveLength(3);
  });

  it("refuses an item id no order could carry: the order path trims the platform's item ids, so one with spaces around it would never match", () => {
    expect(problemsOf({ skuByItemId: { "TM-600100 ": "KETTLE-1L7", " TM-600200": "KETTLE-1L7", "TM-600300\u3000": "KETTLE-1L7", "TM 600400": "KETTLE-1L7" } }).map((p) => p.field)).toEqual([
      'skuByItemId["TM-600100 "]',
      'skuByItemId[" TM-600200"]',
      'skuByItemId["TM-600300\u3000"]',
    ]);
  });

  it("bounds how many districts a platform names", () => {
    const many = Object.fromEntries(Array.from({ length: maxDistricts + 1 }, (_, i) => [`District ${i}`, "store-sh-jingan"]));
    expect(problemsOf({ storesByDistrict: many })).toEqual([{ field: "storesByDistrict", message: `may name at most ${maxDistricts} districts` }]);
  });

  it("knows only the platforms intake reads orders from", () => {
    expect(() => assertReadablePlatform("tmall", ["tmall", "pinduoduo"])).not.toThrow();
    expect(() => assertReadablePlatform("ebay", ["tmall", "pinduoduo"])).toThrow(expect.objectContaining({ code: "platform.unknown" }));
  });
});

describe("a callback URL", () => {
  it("is https, or http only to this machine (local test and demo servers)", () => {
    expect(callbackUrlProblem("https://open.tmall.example/oms/status")).toBeUndefined();
    expect(callbackUrlProblem("http://127.0.0.1:4000/oms/status")).toBeUndefined();
    expect(callbackUrlProblem("http://localhost/x")).toBeUndefined();
    expect(callbackUrlProblem("http://[::1]:8080/x")).toBeUndefined();
    expect(callbackUrlProblem("http://open.tmall.example/oms/status")).toMatch(/https/);
    expect(callbackUrlProblem("not a url")).toMatch(/https/);
    expect(callbackUrlProblem(`https://example.com/${"a".repeat(2000)}`)).toMatch(/at most 2000/);
  });

  it("carries no user or password: they would stay in the trail for good", () => {
    expect(callbackUrlProblem("https://user:secret@open.tmall.example/x")).toMatch(/must not carry a user or password/);
  });

  it("carries no credential in its query either, whatever its spelling; other parameters are the platform's", () => {
    for (const name of ["access_token", "apiKey", "client_secret", "sig", "Authorization", "password"]) {
      expect(callbackUrlProblem(`https://open.tmall.example/x?${name}=abc`)).toMatch(new RegExp(`must not carry a credential in its query \\(${name}\\)`));
    }
    expect(callbackUrlProblem("https://open.tmall.example/x?shop=88&format=json")).toBeUndefined();
  });
});

describe("whether settings re-sent change anything", () => {
  it("does not for the same maps in another order, does for a new route, item or callback", () => {
    const reordered = { ...settings, storesByDistrict: { Pudong: "store-sh-pudong", "Jing'an": "store-sh-jingan" } };
    expect(sameSettings(settings, reordered)).toBe(true);
    expect(sameSettings(settings, { ...settings, storesByDistrict: { ...settings.storesByDistrict, Minhang: "store-sh-pudong" } })).toBe(false);
    expect(sameSettings(settings, { ...settings, skuByItemId: { "TM-600100": "RICE-COOKER-5L" } })).toBe(false);
    expect(sameSettings(settings, { ...settings, callbackUrl: undefined })).toBe(false);
  });

  it("reads each store and item it names once", () => {
    expect(namedInSettings({ ...settings, skuByItemId: { a: "KETTLE-1L7", b: "KETTLE-1L7" } })).toEqual({ storeIds: ["store-sh-jingan", "store-sh-pudong"], skus: ["KETTLE-1L7"] });
  });
});
