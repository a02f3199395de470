import { describe, expect, it } from "vitest";
import { distanceKm } from "./geography.ts";
import { routeOrder, storesServing, type RoutingRules } from "./routing.ts";
import { JINGAN, near, middle, far, store, rules, order, stock, plenty } from "./routing-fixture.ts";

describe("routeOrder: one store", () => {
  it("sends the whole order to one store that has every line rather than splitting it over better-ranked stores", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-kettles", { location: near }), store("s-vases", { location: near }), store("s-both", { priority: 2, location: far })),
      stock({ "s-kettles": { KETTLE: 5 }, "s-vases": { VASE: 5 }, "s-both": { KETTLE: 2, VASE: 1 } }),
    );
    expect(decision).toEqual({
      kind: "routed",
      allocations: [
        {
          storeId: "s-both",
          lines: [
            { sku: "KETTLE", quantity: 2 },
            { sku: "VASE", quantity: 1 },
          ],
        },
      ],
      considered: [
        { storeId: "s-kettles", outcome: "passed-over", reason: "short of VASE (has 0, needs 1)" },
        { storeId: "s-vases", outcome: "passed-over", reason: "short of KETTLE (has 0, needs 2)" },
        { storeId: "s-both", outcome: "chosen", reason: expect.stringMatching(/^chosen: nearest of priority 2 with every line, \d+\.\d km$/) },
      ],
    });
  });

  it("follows the chain's priority before distance", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-near", { priority: 2, location: near }), store("s-far", { priority: 1, location: far })),
      stock({ "s-near": plenty, "s-far": plenty }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-far"]);
    expect(decision.considered).toEqual([
      { storeId: "s-far", outcome: "chosen", reason: expect.stringMatching(/^chosen: nearest of priority 1 with every line/) },
      { storeId: "s-near", outcome: "passed-over", reason: "has every line but ranks below s-far" },
    ]);
  });

  it("takes the nearest store when priorities tie, and says how far it is", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-far", { location: far }), store("s-middle", { location: middle }), store("s-near", { location: near })),
      stock({ "s-near": plenty, "s-middle": plenty, "s-far": plenty }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-near"]);
    const km = distanceKm(near, JINGAN).toFixed(1);
    expect(decision.considered.map((v) => [v.storeId, v.reason])).toEqual([
      ["s-near", `chosen: nearest of priority 1 with every line, ${km} km`],
      ["s-middle", "has every line but ranks below s-near"],
      ["s-far", "has every line but ranks below s-near"],
    ]);
  });

  it("passes over a store at its daily capacity", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-near", { location: near, dailyCapacity: 40, routedToday: 40 }), store("s-far", { location: far, dailyCapacity: 40, routedToday: 39 })),
      stock({ "s-near": plenty, "s-far": plenty }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-far"]);
    expect(decision.considered[0]).toEqual({ storeId: "s-near", outcome: "passed-over", reason: "at capacity (40 of 40 today)" });
  });

  it("tries the next store after a rejection, and never the store that rejected it", () => {
    const chain = rules(store("s-near", { location: near }), store("s-middle", { location: middle }), store("s-far", { location: far }));
    const available = stock({ "s-near": plenty, "s-middle": plenty, "s-far": plenty });

    const first = routeOrder(order(), chain, available);
    expect(first.kind === "routed" && first.allocations[0]!.storeId).toBe("s-near");

    const second = routeOrder(order({ excludedStoreIds: ["s-near"] }), chain, available);
    expect(second.kind === "routed" && second.allocations[0]!.storeId).toBe("s-middle");
    expect(second.considered[0]).toEqual({ storeId: "s-near", outcome: "passed-over", reason: "rejected earlier" });

    const third = routeOrder(order({ excludedStoreIds: ["s-near", "s-middle"] }), chain, available);
    expect(third.kind === "routed" && third.allocations[0]!.storeId).toBe("s-far");

    const fourth = routeOrder(order({ excludedStoreIds: ["s-near", "s-middle", "s-far"] }), chain, available);
    expect(fourth).toEqual({
      kind: "queued",
      reason: "no store can serve it now: every store rejected it earlier, takes no orders, does not serve Jing'an or is at capacity",
      considered: ["s-near", "s-middle", "s-far"].map((storeId) => ({ storeId, outcome: "passed-over", reason: "rejected earlier" })),
    });
  });

  it("sends no order to a store not taking orders, however near, preferred and stocked, and says why it passed it over", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-closed", { location: near, acceptingOrders: false }), store("s-open", { priority: 2, location: far })),
      stock({ "s-closed": plenty, "s-open": plenty }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-open"]);
    expect(decision.considered).toEqual([
      { storeId: "s-closed", outcome: "passed-over", reason: "not taking orders" },
      { storeId: "s-open", outcome: "chosen", reason: expect.stringMatching(/^chosen: nearest of priority 2 with every line/) },
    ]);
  });

  it("neither splits over a store not taking orders nor routes there when it is the only one with stock: the order waits", () => {
    const chain = rules(store("s-kettles", { location: near }), store("s-vases", { location: far, acceptingOrders: false }));
    const available = stock({ "s-kettles": { KETTLE: 5 }, "s-vases": plenty });
    const decision = routeOrder(order(), chain, available);
    expect(decision).toEqual({
      kind: "queued",
      reason: "no store can serve it now; waits for stock",
      considered: [
        { storeId: "s-kettles", outcome: "passed-over", reason: "short of VASE (has 0, needs 1)" },
        { storeId: "s-vases", outcome: "passed-over", reason: "not taking orders" },
      ],
    });
    // Taking orders again, the same store is weighed like any other.
    const reopened = routeOrder(order(), rules(store("s-kettles", { location: near }), store("s-vases", { location: far })), available);
    expect(reopened.kind === "routed" && reopened.allocations.map((a) => a.storeId)).toEqual(["s-vases"]);
  });

  it("only considers stores serving the customer's district, compared loosely", () => {
    const decision = routeOrder(
      order({ district: "  JING’AN " }),
      rules(store("s-pudong", { location: near, serviceAreas: ["Pudong"] }), store("s-jingan", { location: far, serviceAreas: ["jingan"] })),
      stock({ "s-pudong": plenty, "s-jingan": plenty }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-jingan"]);
    expect(decision.considered[0]).toEqual({ storeId: "s-pudong", outcome: "passed-over", reason: "does not serve   JING’AN " });
  });

  it("adds up lines of the same SKU before asking a store for them", () => {
    const decision = routeOrder(
      order({ lines: [{ sku: "VASE", quantity: 2 }, { sku: "VASE", quantity: 2 }], splitAllowed: false }),
      rules(store("s-near", { location: near }), store("s-far", { location: far })),
      stock({ "s-near": { VASE: 3 }, "s-far": { VASE: 4 } }),
    );
    expect(decision.kind === "routed" && decision.allocations).toEqual([{ storeId: "s-far", lines: [{ sku: "VASE", quantity: 4 }] }]);
    expect(decision.considered[0]!.reason).toBe("short of VASE (has 3, needs 4)");
  });
});

describe("routeOrder: split", () => {
  it("splits over two stores when no single store has everything", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-near", { location: near }), store("s-far", { location: far }), store("s-empty", { location: middle })),
      stock({ "s-near": { KETTLE: 5 }, "s-far": { VASE: 3 } }),
    );
    expect(decision).toEqual({
      kind: "routed",
      allocations: [
        { storeId: "s-near", lines: [{ sku: "KETTLE", quantity: 2 }] },
        { storeId: "s-far", lines: [{ sku: "VASE", quantity: 1 }] },
      ],
      considered: [
        { storeId: "s-near", outcome: "chosen", reason: expect.stringMatching(/^chosen for a split: 2 of 3 units \(priority 1, \d+\.\d km\)$/) },
        { storeId: "s-empty", outcome: "passed-over", reason: "short of KETTLE (has 0, needs 2); short of VASE (has 0, needs 1); not needed for the split" },
        { storeId: "s-far", outcome: "chosen", reason: expect.stringMatching(/^chosen for a split: 1 of 3 units/) },
      ],
    });
  });

  it("takes first the store covering most of what is missing, and splits a line only when no chosen store holds all of it", () => {
    const decision = routeOrder(
      order({ lines: [{ sku: "TOWEL", quantity: 7 }] }),
      rules(store("s-near", { location: near }), store("s-middle", { location: middle }), store("s-far", { location: far })),
      stock({ "s-near": { TOWEL: 2 }, "s-middle": { TOWEL: 3 }, "s-far": { TOWEL: 5 } }),
    );
    expect(decision.kind === "routed" && decision.allocations).toEqual([
      // s-near and s-middle both cover the last 2: the nearer one wins the tie.
      { storeId: "s-far", lines: [{ sku: "TOWEL", quantity: 5 }] },
      { storeId: "s-near", lines: [{ sku: "TOWEL", quantity: 2 }] },
    ]);
  });

  it("keeps a line whole in one parcel when a store chosen later holds all of it", () => {
    // Greedy takes s-a first (4 units), then s-b and s-c for the rest; each of those holds a
    // whole line, so s-a is not needed at all and no line is split.
    const decision = routeOrder(
      order({ lines: [{ sku: "KETTLE", quantity: 3 }, { sku: "VASE", quantity: 3 }] }),
      rules(store("s-a", { location: near }), store("s-b", { location: middle }), store("s-c", { location: far })),
      stock({ "s-a": { KETTLE: 2, VASE: 2 }, "s-b": { KETTLE: 3 }, "s-c": { VASE: 3 } }),
    );
    expect(decision.kind === "routed" && decision.allocations).toEqual([
      { storeId: "s-b", lines: [{ sku: "KETTLE", quantity: 3 }] },
      { storeId: "s-c", lines: [{ sku: "VASE", quantity: 3 }] },
    ]);
    expect(decision.considered[0]).toEqual({
      storeId: "s-a",
      outcome: "passed-over",
      reason: "short of KETTLE (has 2, needs 3); short of VASE (has 2, needs 3); not needed for the split",
    });
  });

  it("breaks a tie in coverage by rank", () => {
    const decision = routeOrder(
      order({ lines: [{ sku: "KETTLE", quantity: 2 }, { sku: "VASE", quantity: 2 }] }),
      rules(store("s-far", { location: far }), store("s-near", { location: near }), store("s-vases", { location: middle })),
      stock({ "s-far": { KETTLE: 2 }, "s-near": { KETTLE: 2 }, "s-vases": { VASE: 2 } }),
    );
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId)).toEqual(["s-near", "s-vases"]);
  });

  it("queues the order when it may not be split and no single store has everything", () => {
    const decision = routeOrder(
      order({ splitAllowed: false }),
      rules(store("s-near", { location: near }), store("s-far", { location: far })),
      stock({ "s-near": { KETTLE: 5 }, "s-far": { VASE: 3 } }),
    );
    expect(decision).toEqual({
      kind: "queued",
      reason: "no single store has every line and the order may not be split; waits for stock",
      considered: [
        { storeId: "s-near", outcome: "passed-over", reason: "short of VASE (has 0, needs 1)" },
        { storeId: "s-far", outcome: "passed-over", reason: "short of KETTLE (has 0, needs 2)" },
      ],
    });
  });

  it("queues the order when even all eligible stores together are short", () => {
    const decision = routeOrder(
      order(),
      rules(store("s-near", { location: near }), store("s-far", { location: far }), store("s-full", { location: middle, routedToday: 40 })),
      stock({ "s-near": { KETTLE: 1 }, "s-far": { KETTLE: 0, VASE: 1 }, "s-full": plenty }),
    );
    expect(decision).toEqual({
      kind: "queued",
      reason: "no store can serve it now; waits for stock",
      considered: [
        { storeId: "s-near", outcome: "passed-over", reason: "short of KETTLE (has 1, needs 2); short of VASE (has 0, needs 1)" },
        { storeId: "s-full", outcome: "passed-over", reason: "at capacity (40 of 40 today)" },
        { storeId: "s-far", outcome: "passed-over", reason: "short of KETTLE (has 0, needs 2)" },
      ],
    });
  });

  it("queues the order when no store has anything", () => {
    const decision = routeOrder(order(), rules(store("s-near", { location: near }), store("s-far", { location: far })), new Map());
    expect(decision.kind).toBe("queued");
    expect(decision.kind === "queued" && decision.reason).toBe("no store can serve it now; waits for stock");
  });
});

describe("routeOrder: stock, locations and ties", () => {
  it("promises only what is left after reservations and safety stock, a negative balance counting as none", () => {
    const chain = rules(store("s-near", { location: near }), store("s-far", { location: far }));
    const available = stock({ "s-near": { KETTLE: -2 }, "s-far": { KETTLE: 1 } });

    const one = routeOrder(order({ lines: [{ sku: "KETTLE", quantity: 1 }] }), chain, available);
    expect(one.kind === "routed" && one.allocations).toEqual([{ storeId: "s-far", lines: [{ sku: "KETTLE", quantity: 1 }] }]);
    expect(one.considered[0]!.reason).toBe("short of KETTLE (has 0, needs 1)");

    // -2 + 1 would be short of 2 anyway; counted as 0 + 1 it is short too, and never a "has -2".
    const two = routeOrder(order({ lines: [{ sku: "KETTLE", quantity: 2 }] }), chain, available);
    expect(two.kind).toBe("queued");
    expect(two.considered.map((v) => v.reason)).toEqual(["short of KETTLE (has 0, needs 2)", "short of KETTLE (has 1, needs 2)"]);

    // A negative balance must not eat into another store's units in a split.
    const split = routeOrder(
      order({ lines: [{ sku: "KETTLE", quantity: 3 }] }),
      rules(store("s-near", { location: near }), store("s-middle", { location: middle }), store("s-far", { location: far })),
      stock({ "s-near": { KETTLE: -5 }, "s-middle": { KETTLE: 2 }, "s-far": { KETTLE: 1 } }),
    );
    expect(split.kind === "routed" && split.allocations).toEqual([
      { storeId: "s-middle", lines: [{ sku: "KETTLE", quantity: 2 }] },
      { storeId: "s-far", lines: [{ sku: "KETTLE", quantity: 1 }] },
    ]);
  });

  it("still routes when the district has no known location: distance is unknown and priority, then store id, decide", () => {
    const decision = routeOrder(
      order({ district: "Minhang" }),
      rules(
        store("s-b", { priority: 1, location: near, serviceAreas: ["Minhang"] }),
        store("s-a", { priority: 1, location: far, serviceAreas: ["Minhang"] }),
        store("s-0", { priority: 2, location: near, serviceAreas: ["Minhang"] }),
      ),
      stock({ "s-a": plenty, "s-b": plenty, "s-0": plenty }),
    );
    expect(decision.considered).toEqual([
      { storeId: "s-a", outcome: "chosen", reason: "chosen: first of priority 1 with every line (distance unknown)" },
      { storeId: "s-b", outcome: "passed-over", reason: "has every line but ranks below s-a" },
      { storeId: "s-0", outcome: "passed-over", reason: "has every line but ranks below s-a" },
    ]);
  });

  it("finds the district's location loosely and ranks a store without a location after those with one", () => {
    const chain: RoutingRules = {
      stores: [store("s-unplaced", { location: undefined }), store("s-far", { location: far })],
      districtLocations: { JINGAN: JINGAN },
    };
    const decision = routeOrder(order({ district: "Jing'an" }), chain, stock({ "s-unplaced": plenty, "s-far": plenty }));
    expect(decision.kind === "routed" && decision.allocations[0]!.storeId).toBe("s-far");
    expect(decision.considered[1]).toEqual({ storeId: "s-unplaced", outcome: "passed-over", reason: "has every line but ranks below s-far" });
  });

  it("gives the same answer whatever order the stores and stock come in", () => {
    const stores = [store("s-c", { location: near }), store("s-a", { location: near }), store("s-b", { location: near })];
    const available = { "s-a": plenty, "s-b": plenty, "s-c": plenty };
    const answers = [stores, [...stores].reverse(), [stores[1]!, stores[2]!, stores[0]!]].map((list) =>
      routeOrder(order(), rules(...list), stock(Object.fromEntries(Object.entries(available).reverse()))),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.kind === "routed" && answers[0]!.allocations[0]!.storeId).toBe("s-a");
    expect(answers[0]!.considered.map((v) => v.storeId)).toEqual(["s-a", "s-b", "s-c"]);
  });

  it("never sends more than a store has, and always the whole order (random cases)", () => {
    // Park–Miller: exact in doubles, and its high bits vary (an LCG's low bits would not).
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return Math.floor((seed / 2_147_483_647) * n);
    };
    // Stores often lack a SKU (so splits happen) and sometimes owe it (a negative balance).
    const sparseUnits = () => [-1, 0, 0, 1 + random(5), 1 + random(5), 1 + random(5)][random(6)]!;
    const skus = ["A", "B", "C"];
    const points = [near, middle, far];
    const seen = { single: 0, split: 0, queued: 0 };
    for (let run = 0; run < 500; run++) {
      const stores = Array.from({ length: 2 + random(5) }, (_, i) =>
        store(`s-${i}`, { priority: 1 + random(2), location: points[random(3)]!, dailyCapacity: 5, routedToday: random(6), serviceAreas: random(8) === 0 ? ["Xuhui"] : ["Jing'an"] }),
      );
      const available = new Map(stores.map((s) => [s.storeId, new Map(skus.map((sku) => [sku, sparseUnits()]))]));
      const lines = Array.from({ length: 1 + random(3) }, () => ({ sku: skus[random(3)]!, quantity: 1 + random(3) }));
      const excludedStoreIds = stores.filter(() => random(8) === 0).map((s) => s.storeId);
      const decision = routeOrder(order({ lines, excludedStoreIds, splitAllowed: random(2) === 0 }), rules(...stores), available);
      expect(decision.considered.map((v) => v.storeId).sort()).toEqual(stores.map((s) => s.storeId).sort());
      if (decision.kind === "queued") {
        // Queued only when no store that may take the order has all of it.
        const eligibleWithAll = stores.filter(
          (s) =>
            !excludedStoreIds.includes(s.storeId) &&
            s.serviceAreas.includes("Jing'an") &&
            s.routedToday < s.dailyCapacity &&
            lines.every((l) => available.get(s.storeId)!.get(l.sku)! >= lines.filter((o) => o.sku === l.sku).reduce((sum, o) => sum + o.quantity, 0)),
        );
        expect(eligibleWithAll).toEqual([]);
        seen.queued++;
        continue;
      }
      seen[decision.allocations.length > 1 ? "split" : "single"]++;
      for (const allocation of decision.allocations) {
        const chosen = stores.find((s) => s.storeId === allocation.storeId)!;
        expect(excludedStoreIds).not.toContain(chosen.storeId);
        expect(chosen.serviceAreas).toContain("Jing'an");
        expect(chosen.routedToday).toBeLessThan(chosen.dailyCapacity);
        for (const line of allocation.lines) expect(line.quantity).toBeLessThanOrEqual(available.get(chosen.storeId)!.get(line.sku)!);
      }
      for (const sku of skus) {
        const asked = lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);
        const sent = decision.allocations.flatMap((a) => a.lines).filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);
        expect(sent).toBe(asked);
      }
    }
    // The cases must reach every outcome, or the checks above prove little.
    expect(Math.min(seen.single, seen.split, seen.queued)).toBeGreaterThan(20);
  });
});

describe("storesServing", () => {
  it("names the stores an order to a district could go to: serving it, not refused before, whatever their stock or count", () => {
    const stores = [store("a"), store("b", { serviceAreas: ["Pudong"] }), store("c", { routedToday: 40 }), store("d", { serviceAreas: ["jing’an"] })];
    expect(storesServing("Jing'an", [], stores)).toEqual(["a", "c", "d"]);
    expect(storesServing("JINGAN", ["a"], stores)).toEqual(["c", "d"]);
    expect(storesServing("Minhang", [], stores)).toEqual([]);
    // A store not taking orders is none of them: routing never sends it one, so its stock is not locked for it.
    expect(storesServing("Jing'an", [], [...stores, store("e", { acceptingOrders: false })])).toEqual(["a", "c", "d"]);
    // Every store routing may choose is among them, so locking theirs is enough.
    const decision = routeOrder(order(), rules(...stores), stock({ a: { KETTLE: 1 }, c: plenty, d: plenty }));
    expect(decision.kind === "routed" && decision.allocations.map((a) => a.storeId).every((id) => storesServing("Jing'an", [], stores).includes(id))).toBe(true);
  });
});
