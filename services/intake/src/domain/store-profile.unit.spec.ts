import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { assertValidStoreProfile, canonicalProfile, sameProfile, storeOfProfile, storeProfileProblems, type StoreProfile } from "./store-profile.ts";

const profile: StoreProfile = {
  storeId: "store-hz-xihu",
  name: "West Lake store",
  city: "Hangzhou",
  timeZone: "Asia/Shanghai",
  currency: "CNY",
  acceptingOrders: true,
  serviceAreas: ["Xihu", "Shangcheng"],
  orderKinds: ["goods", "service"],
  fulfillmentMethods: ["ship", "pickup", "on-site"],
  businessHours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6] },
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 600,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
  partialShipments: false,
  routingPriority: 3,
  location: { lat: 30.259, lon: 120.13 },
  dailyCapacity: 800,
  districtLocations: [{ district: "Xihu", location: { lat: 30.259, lon: 120.13 } }],
  confirmationFollowUpHours: 24,
  confirmationEscalationHours: 36,
  confirmationCancelHours: 48,
};

const problemsOf = (overrides: Partial<StoreProfile>) => storeProfileProblems({ ...profile, ...overrides }, "CNY").list();

describe("a store's profile, validated whole (ADR 028)", () => {
  it("takes a profile that can be used, and one without hours or a location", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ businessHours: undefined, location: undefined, districtLocations: [] })).toEqual([]);
    expect(() => assertValidStoreProfile(profile, "CNY")).not.toThrow();
  });

  it("names every wrong field at once, each once", () => {
    const problems = problemsOf({
      storeId: "store with spaces",
      name: " ",
      timeZone: "Mars/Olympus",
      currency: "USD",
      shippingFeeMinor: -1,
      freeShippingFromMinor: 1.5,
      taxRateBasisPoints: 10_001,
      reviewThresholdMinor: 0,
      reviewLineQuantityAbove: 0,
      routingPriority: 0,
      dailyCapacity: -1,
      location: { lat: 91, lon: -181 },
    });
    expect(problems.map((p) => p.field)).toEqual([
      "storeId",
      "name",
      "timeZone",
      "currency",
      "shippingFeeMinor",
      "freeShippingFromMinor",
      "taxRateBasisPoints",
      "reviewThresholdMinor",
      "reviewLineQuantityAbove",
      "routingPriority",
      "dailyCapacity",
      "location.lat",
      "location.lon",
    ]);
    expect(problems.find((p) => p.field === "currency")?.message).toBe("must be CNY, the chain's currency");
    let thrown: unknown;
    try {
      assertValidStoreProfile({ ...profile, currency: "USD" }, "CNY");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown).toMatchObject({ code: "store-profile.invalid", fields: [{ field: "currency" }] });
  });

  it("relates kinds and methods as the pre-check does: on site is for services, shipping and pick-up for goods", () => {
    expect(problemsOf({ orderKinds: ["goods"], fulfillmentMethods: ["ship", "on-site"] })).toEqual([
      { field: "fulfillmentMethods[1]", message: "on-site serves service orders, which the store does not take" },
    ]);
    expect(problemsOf({ orderKinds: ["goods", "service"], fulfillmentMethods: ["ship"] })).toEqual([
      { field: "fulfillmentMethods", message: "a store taking service orders offers on-site" },
    ]);
    expect(problemsOf({ orderKinds: [], fulfillmentMethods: [] }).map((p) => p.field)).toEqual(["orderKinds", "fulfillmentMethods"]);
    expect(problemsOf({ orderKinds: ["goods", "rental" as never], fulfillmentMethods: ["ship", "ship", "drone" as never] }).map((p) => p.field)).toEqual([
      "orderKinds[1]",
      "fulfillmentMethods[1]",
      "fulfillmentMethods[2]",
    ]);
  });

  it("wants service areas, each once as districts are compared, and locations only for those", () => {
    expect(problemsOf({ serviceAreas: [], districtLocations: [] })).toEqual([{ field: "serviceAreas", message: "name at least one district the store serves" }]);
    expect(problemsOf({ serviceAreas: ["Xihu", "xi-hu"], districtLocations: [] })).toEqual([{ field: "serviceAreas[1]", message: "xi-hu is named twice" }]);
    expect(problemsOf({ districtLocations: [{ district: "Pudong", location: { lat: 31, lon: 121 } }] })).toEqual([
      { field: "districtLocations[0].district", message: "Pudong is not one of the districts the store serves" },
    ]);
    expect(problemsOf({ districtLocations: [{ district: "xihu", location: { lat: 0, lon: 200 } }] })).toEqual([
      { field: "districtLocations[0].location.lon", message: "must be a longitude, -180 to 180" },
    ]);
  });

  it("wants business hours that can be used", () => {
    expect(problemsOf({ businessHours: { open: "21:00", close: "21:00", days: [1] } })).toEqual([{ field: "businessHours", message: "open and close must differ" }]);
    expect(problemsOf({ businessHours: { open: "09:00", close: "21:00", days: [8] } })).toEqual([{ field: "businessHours", message: "days must be 1 (Monday) to 7 (Sunday)" }]);
    expect(problemsOf({ businessHours: { open: "09:00", close: "21:00", days: [] } })).toEqual([{ field: "businessHours.days", message: "name at least one day the store opens" }]);
    // A bad time zone is said once, on its own field.
    expect(problemsOf({ timeZone: "" }).map((p) => p.field)).toEqual(["timeZone"]);
  });

  it("wants the confirmation deadlines after the order and in order, as fulfillment's store settings do", () => {
    expect(problemsOf({ confirmationFollowUpHours: 0 })).toEqual([{ field: "confirmationFollowUpHours", message: "must be a number of hours above 0, at most 8784" }]);
    expect(problemsOf({ confirmationEscalationHours: 24 })).toEqual([{ field: "confirmationEscalationHours", message: "must be later than the follow-up" }]);
    expect(problemsOf({ confirmationCancelHours: 30 })).toEqual([{ field: "confirmationCancelHours", message: "must be later than the escalation" }]);
    expect(problemsOf({ confirmationFollowUpHours: 0.5, confirmationEscalationHours: 1.5, confirmationCancelHours: 2 })).toEqual([]);
  });
});

describe("telling a changed profile from the same one re-sent", () => {
  it("sees no change in lists whose order means nothing", () => {
    const reordered = { ...profile, orderKinds: ["service", "goods"] as StoreProfile["orderKinds"], businessHours: { open: "09:00", close: "21:00", days: [6, 5, 4, 3, 2, 1] } };
    expect(sameProfile(profile, reordered)).toBe(true);
    expect(sameProfile(profile, { ...profile, location: undefined })).toBe(false);
    expect(sameProfile(profile, { ...profile, acceptingOrders: false })).toBe(false);
    expect(sameProfile(profile, { ...profile, confirmationCancelHours: 49 })).toBe(false);
    expect(sameProfile(profile, { ...profile, serviceAreas: ["Shangcheng", "Xihu"] })).toBe(false);
  });

  it("keeps nothing a profile does not say", () => {
    expect(canonicalProfile({ ...profile, businessHours: undefined, location: undefined })).not.toHaveProperty("businessHours");
    expect(canonicalProfile({ ...profile, extra: 1 } as StoreProfile)).not.toHaveProperty("extra");
  });

  it("gives the order path the store on its own clock, closed or open to orders", () => {
    expect(storeOfProfile({ ...profile, acceptingOrders: false })).toMatchObject({
      storeId: "store-hz-xihu",
      acceptingOrders: false,
      businessHours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6], timeZone: "Asia/Shanghai" },
    });
  });
});
