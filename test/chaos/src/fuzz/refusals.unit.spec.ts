import { describe, expect, it } from "vitest";
import { tracesOfRefusals } from "./refusals.ts";

describe("a refused request changed nothing", () => {
  const refused = new Map([
    ["req-1", "POST /v1/tasks/t-1/acknowledgement as staff:s-1:rider: 409"],
    ["req-2", "/oms.fulfillment.v1.OrderCommands/CancelOrder (typed): FAILED_PRECONDITION"],
  ]);

  it("holds when no event carries a refused request's id and no request-only table changed", () => {
    expect(tracesOfRefusals(refused, ["req-ok", "req-ok", "evt-9"], [])).toEqual([]);
  });

  it("names each refused request whose id an event carries, with how many", () => {
    expect(tracesOfRefusals(refused, ["req-ok", "req-2", "req-2"], [])).toEqual([
      "/oms.fulfillment.v1.OrderCommands/CancelOrder (typed): FAILED_PRECONDITION was refused, yet 2 event(s) carry its id req-2",
    ]);
  });

  it("reports a request-only table a refusal changed", () => {
    expect(tracesOfRefusals(refused, [], ["PUT /v1/staff/s-1 as staff:s-1:supervisor: 400 changed dispatch.staff"])).toHaveLength(1);
  });
});
