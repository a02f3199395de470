import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { isNewerProfile, newestPerStore, routingSliceOf, type PublishedStore } from "./store-profile.ts";

const published = (overrides: Partial<PublishedStore> = {}): PublishedStore => ({
  version: 1,
  storeId: "store-new",
  acceptingOrders: true,
  serviceAreas: ["Jing'an", "Xuhui"],
  routingPriority: 2,
  location: { lat: 31.23, lon: 121.45 },
  dailyCapacity: 80,
  districtLocations: [{ district: "Jing'an", location: { lat: 31.2286, lon: 121.448 } }],
  ...overrides,
});

describe("the version rule", () => {
  it("applies only a newer version: the same one (a re-delivery) or an older one (a replay) changes nothing", () => {
    expect(isNewerProfile(0, 1)).toBe(true);
    expect(isNewerProfile(3, 4)).toBe(true);
    expect(isNewerProfile(3, 3)).toBe(false);
    expect(isNewerProfile(3, 2)).toBe(false);
  });

  it("keeps each store's newest publication of those heard together, whatever order they came in", () => {
    const heard = [
      { storeId: "a", version: 2, tag: "a2" },
      { storeId: "b", version: 1, tag: "b1" },
      { storeId: "a", version: 3, tag: "a3" },
      { storeId: "a", version: 1, tag: "a1" },
      { storeId: "b", version: 1, tag: "b1 again" },
    ];
    expect(newestPerStore(heard).map((p) => p.tag)).toEqual(["a3", "b1"]);
    expect(newestPerStore([])).toEqual([]);
  });
});

describe("routingSliceOf", () => {
  it("takes what routing weighs from the profile, with its version", () => {
    expect(routingSliceOf(published({ acceptingOrders: false, location: undefined }))).toEqual({
      storeId: "store-new",
      version: 1,
      priority: 2,
      location: undefined,
      serviceAreas: ["Jing'an", "Xuhui"],
      dailyCapacity: 80,
      acceptingOrders: false,
      districtLocations: [{ district: "Jing'an", location: { lat: 31.2286, lon: 121.448 } }],
    });
  });

  it("refuses what it cannot route by, naming every field, rather than keep it", () => {
    const refused = (() => {
      try {
        routingSliceOf(
          published({
            version: 0,
            routingPriority: 0,
            dailyCapacity: -1,
            location: { lat: 91, lon: 0 },
            districtLocations: [{ district: "Xuhui", location: undefined }, { district: " ", location: { lat: 0, lon: 181 } }],
          }),
        );
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ code: "store-profile.invalid", message: expect.stringContaining("the profile of store-new cannot be kept for routing") });
    expect((refused as ValidationError).fields.map((f) => f.field)).toEqual([
      "version",
      "store.routingPriority",
      "store.dailyCapacity",
      "store.location.lat",
      "store.districtLocations[0].location",
      "store.districtLocations[1].district",
      "store.districtLocations[1].location.lon",
    ]);
    expect(() => routingSliceOf(published({ storeId: "" }))).toThrow(/store\.storeId is required/);
  });
});
