import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
// Services are not packages: the checks read their sources as the cross-service tests do.
import { orderStatuses } from "../../services/fulfillment/src/domain/order.ts";

// What the proto's words promise analytics (docs/events.md is generated from them) must hold
// as the code grows: a status fulfillment can announce that the contract does not name would
// reach every consumer unexplained.
describe("the contract's words", () => {
  it("name every status OrderStatusChanged can carry", () => {
    const proto = readFileSync(path.join(repositoryRoot, "proto/oms/events/v1/fulfillment.proto"), "utf8");
    const message = proto.slice(proto.indexOf("message OrderStatusChanged {"));
    const words = message.slice(0, message.indexOf("string from_status"));
    const unnamed = orderStatuses.filter((status) => !words.includes(`"${status}"`));
    expect(unnamed).toEqual([]);
  });
});
