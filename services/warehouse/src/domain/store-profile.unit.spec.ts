import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { routingSliceOf, type PublishedStore } from "./store-profile.ts";

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
