import { describe, expect, it } from "vitest";
import { Topics, allTopics } from "@oms/contracts";
import { consumedTopics } from "../../support/consumer-lag.ts";
import { consumerSpecs, consumingGroupsByTopic } from "./consuming-groups.ts";

/** The harness's lists of consumer groups are the services' own, so that none is forgotten. */
describe("consuming groups", () => {
  it("names each topic's readers as the services' consumer specs do", () => {
    const groups = consumingGroupsByTopic();
    // Those a hand-written list once missed: intake's status pushes, the archive's after-sales
    // cases, billing's refunds of resolved cases, and the groups of returns, repair visits and
    // case refunds (ADR 021, 025, 017) — a drain that did not wait for them looked complete while they lagged.
    expect(groups.get(Topics.fulfillmentOrder)).toContain("intake");
    expect(groups.get(Topics.afterSalesCase)).toEqual(["warehouse-returns", "dispatch-after-sales", "billing", "archive"]);
    expect(groups.get(Topics.warehouseStock)).toEqual(["fulfillment", "after-sales-returns", "archive"]);
    expect(groups.get(Topics.dispatchAssignment)).toEqual(["fulfillment", "after-sales-visits", "archive"]);
    // After-sales keeps what billing refunded for each case, and its shortfalls (ADR 017, addendum).
    expect(groups.get(Topics.billingSettlement)).toContain("after-sales-refunds");
    // The stores' profiles (ADR 028): a poison there must be dead-lettered by the warehouse's and fulfillment's groups too.
    expect(groups.get(Topics.intakeCatalogue)).toEqual(["fulfillment-catalogue", "warehouse-catalogue", "archive"]);
    for (const topic of allTopics) expect(groups.get(topic)?.length, topic).toBeGreaterThan(0);
  });

  it("keeps the lag sampler's groups and topics to the consumer specs", () => {
    const fromSpecs = Object.fromEntries(consumerSpecs().map((spec) => [spec.name, [...spec.topics].sort()]));
    const sampled = Object.fromEntries(Object.entries(consumedTopics).map(([group, topics]) => [group, [...topics].sort()]));
    expect(sampled).toEqual(fromSpecs);
  });
});
