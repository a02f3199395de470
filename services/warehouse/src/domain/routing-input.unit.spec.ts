import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { routeOrder } from "./routing.ts";
import { store, rules, order } from "./routing-fixture.ts";

describe("routeOrder: input", () => {
  const fieldsOf = (run: () => unknown): string[] => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe("routing.invalid-request");
      return (error as ValidationError).fields.map((f) => f.field);
    }
    return expect.unreachable();
  };

  it("refuses a malformed order, naming each field", () => {
    expect(
      fieldsOf(() =>
        routeOrder(
          order({ orderId: "", district: " - ", lines: [{ sku: "", quantity: 1 }, { sku: "VASE", quantity: 0 }, { sku: "VASE", quantity: 1.5 }] }),
          rules(store("s-1")),
          new Map(),
        ),
      ),
    ).toEqual(["orderId", "district", "lines[0].sku", "lines[1].quantity", "lines[2].quantity"]);
    expect(fieldsOf(() => routeOrder(order({ lines: [] }), rules(store("s-1")), new Map()))).toEqual(["lines"]);
    expect(fieldsOf(() => routeOrder(order({ fulfillmentMethod: "courier" as "ship" }), rules(store("s-1")), new Map()))).toEqual(["fulfillmentMethod"]);
  });

  it("refuses a pickup without a store of the chain", () => {
    expect(fieldsOf(() => routeOrder(order({ fulfillmentMethod: "pickup" }), rules(store("s-1")), new Map()))).toEqual(["pickupStoreId"]);
    expect(fieldsOf(() => routeOrder(order({ fulfillmentMethod: "pickup", pickupStoreId: "s-9" }), rules(store("s-1")), new Map()))).toEqual(["pickupStoreId"]);
  });

  it("refuses routing rules with a wrong store or place, naming the store's index and field", () => {
    expect(
      fieldsOf(() =>
        routeOrder(
          order(),
          {
            stores: [
              store("s-1", { priority: 0, dailyCapacity: -1, routedToday: 1.5 }),
              store("s-1", { location: { lat: 91, lon: 200 } }),
              store(""),
            ],
            districtLocations: { "Jing'an": { lat: Number.NaN, lon: 121 } },
          },
          new Map(),
        ),
      ),
    ).toEqual([
      "stores[0].priority",
      "stores[0].dailyCapacity",
      "stores[0].routedToday",
      "stores[1].storeId",
      "stores[1].location.lat",
      "stores[1].location.lon",
      "stores[2].storeId",
      "districtLocations.Jing'an.lat",
    ]);
  });
});
