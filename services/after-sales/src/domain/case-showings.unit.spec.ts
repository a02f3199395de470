import { describe, expect, it } from "vitest";
import { showingsOf, viewerOf } from "./case-showings.ts";

const auditorAsks = { kind: "staff", id: "cs-7", role: "customer-service" };

describe("a case view as a showing of the customer's words", () => {
  it("names the caller the gateway passed on, with the request", () => {
    expect(viewerOf(auditorAsks, "corr-1")).toEqual({ shownTo: "staff:cs-7", role: "customer-service", correlationId: "corr-1" });
    expect(viewerOf({ kind: "customer", id: "c-42", role: "" }, "corr-2")).toEqual({ shownTo: "customer:c-42", role: "", correlationId: "corr-2" });
  });

  it("names nobody when the query names no caller (the words then stay sealed), and refuses a caller without an id", () => {
    expect(viewerOf(undefined, "corr-1")).toBeUndefined();
    expect(viewerOf({ kind: "", id: "", role: "" }, "corr-1")).toBeUndefined();
    expect(() => viewerOf({ kind: "staff", id: " ", role: "customer-service" }, "corr-1")).toThrow(expect.objectContaining({ code: "caller.missing" }));
    expect(() => viewerOf({ kind: "", id: "cs-7", role: "customer-service" }, "corr-1")).toThrow(expect.objectContaining({ code: "caller.missing" }));
  });

  it("is one showing per case whose description was shown; an empty one (not opened) is none", () => {
    const viewer = viewerOf(auditorAsks, "corr-1")!;
    const shown = [
      { caseId: "case-1", orderId: "order-1", description: "the kettle leaks" },
      { caseId: "case-2", orderId: "order-1", description: "" },
      { caseId: "case-3", orderId: "order-2", description: "the lid is cracked" },
    ];
    expect(showingsOf(shown, viewer)).toEqual([
      { caseId: "case-1", orderId: "order-1", fields: ["description"], shownTo: "staff:cs-7", role: "customer-service", correlationId: "corr-1" },
      { caseId: "case-3", orderId: "order-2", fields: ["description"], shownTo: "staff:cs-7", role: "customer-service", correlationId: "corr-1" },
    ]);
    expect(showingsOf([], viewer)).toEqual([]);
  });

  it("names the desk's call-off reason among the fields when it was shown too (ADR 024, twenty-fourth-session addendum)", () => {
    const viewer = viewerOf(auditorAsks, "corr-2")!;
    const shown = [
      { caseId: "case-1", orderId: "order-1", description: "the kettle leaks", goodsCalledOffReason: "Mrs Li kept it" },
      { caseId: "case-2", orderId: "order-1", description: "", goodsCalledOffReason: "Mrs Li kept it" },
      { caseId: "case-3", orderId: "order-2", description: "", goodsCalledOffReason: "" },
    ];
    expect(showingsOf(shown, viewer).map((s) => [s.caseId, s.fields])).toEqual([
      ["case-1", ["description", "goods-called-off-reason"]],
      ["case-2", ["goods-called-off-reason"]],
    ]);
  });

  it("names the visit's rejection reasons once, when any was shown (ADR 025, rework addendum)", () => {
    const viewer = viewerOf(auditorAsks, "corr-3")!;
    const shown = [
      { caseId: "case-1", orderId: "order-1", description: "the kettle is cold", visitRejectionReasons: ["still cold", "cold again"] },
      { caseId: "case-2", orderId: "order-1", description: "", visitRejectionReasons: ["", "no held key opened it"] },
      { caseId: "case-3", orderId: "order-2", description: "", visitRejectionReasons: [""] },
    ];
    expect(showingsOf(shown, viewer).map((s) => [s.caseId, s.fields])).toEqual([
      ["case-1", ["description", "visit-rejection-reason"]],
      ["case-2", ["visit-rejection-reason"]],
    ]);
  });
});
