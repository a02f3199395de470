import { describe, expect, it } from "vitest";
import { routeOrder } from "./routing.ts";
import { near, far, store, rules, order, stock, plenty } from "./routing-fixture.ts";

describe("routeOrder: pickup", () => {
  const chain = rules(
    store("s-chosen", { location: far, serviceAreas: ["Pudong"] }),
    store("s-near", { location: near }),
  );

  it("routes to the store the customer chose, whatever its district or distance", () => {
    const decision = routeOrder(order({ fulfillmentMethod: "pickup", pickupStoreId: "s-chosen" }), chain, stock({ "s-chosen": plenty, "s-near": plenty }));
    expect(decision).toEqual({
      kind: "routed",
      allocations: [
        {
          storeId: "s-chosen",
          lines: [
            { sku: "KETTLE", quantity: 2 },
            { sku: "VASE", quantity: 1 },
          ],
        },
      ],
      considered: [{ storeId: "s-chosen", outcome: "chosen", reason: "chosen: the customer collects here" }],
    });
  });

  it("queues a pickup the chosen store cannot fill, without splitting or trying another store", () => {
    const decision = routeOrder(
      order({ fulfillmentMethod: "pickup", pickupStoreId: "s-chosen", splitAllowed: true }),
      chain,
      stock({ "s-chosen": { KETTLE: 2 }, "s-near": plenty }),
    );
    expect(decision).toEqual({
      kind: "queued",
      reason: "the pickup store is short of stock; waits for stock",
      considered: [{ storeId: "s-chosen", outcome: "passed-over", reason: "short of VASE (has 0, needs 1)" }],
    });
  });

  it("queues a pickup the chosen store rejected or has no capacity for", () => {
    const rejected = routeOrder(order({ fulfillmentMethod: "pickup", pickupStoreId: "s-chosen", excludedStoreIds: ["s-chosen"] }), chain, stock({ "s-chosen": plenty }));
    expect(rejected.kind === "queued" && rejected.reason).toMatch(/the pickup store rejected it/);
    expect(rejected.considered).toEqual([{ storeId: "s-chosen", outcome: "passed-over", reason: "rejected earlier" }]);

    const full = routeOrder(
      order({ fulfillmentMethod: "pickup", pickupStoreId: "s-chosen" }),
      rules(store("s-chosen", { dailyCapacity: 5, routedToday: 5 })),
      stock({ "s-chosen": plenty }),
    );
    expect(full).toEqual({
      kind: "queued",
      reason: "the pickup store is at capacity today; waits for capacity",
      considered: [{ storeId: "s-chosen", outcome: "passed-over", reason: "at capacity (5 of 5 today)" }],
    });
  });
});
