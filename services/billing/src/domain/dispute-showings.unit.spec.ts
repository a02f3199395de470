import { describe, expect, it } from "vitest";
import { showingsOf, viewerOf } from "./dispute-showings.ts";

const financeAsks = { callerKind: "staff", callerId: "fin-1", callerRole: "finance" };

describe("a dispute view as a showing of the opener's statement", () => {
  it("names the caller the gateway passed on, with the request", () => {
    expect(viewerOf(financeAsks, "corr-1")).toEqual({ shownTo: "staff:fin-1", role: "finance", correlationId: "corr-1" });
  });

  it("names nobody when the request names no caller (the statement then stays sealed), and refuses a caller without an id", () => {
    expect(viewerOf({ callerKind: "", callerId: "", callerRole: "" }, "corr-1")).toBeUndefined();
    expect(() => viewerOf({ callerKind: "staff", callerId: "", callerRole: "finance" }, "corr-1")).toThrow(expect.objectContaining({ code: "caller.missing" }));
    expect(() => viewerOf({ callerKind: "", callerId: "fin-1", callerRole: "finance" }, "corr-1")).toThrow(expect.objectContaining({ code: "caller.missing" }));
  });

  it("is one showing per dispute whose statement was shown; an empty one (not opened) is none", () => {
    const viewer = viewerOf(financeAsks, "corr-1")!;
    const shown = [
      { disputeId: "d-1", orderId: "o-1", statement: "charged twice" },
      { disputeId: "d-2", orderId: "o-1", statement: "" },
    ];
    expect(showingsOf(shown, viewer)).toEqual([{ disputeId: "d-1", orderId: "o-1", fields: ["statement"], shownTo: "staff:fin-1", role: "finance", correlationId: "corr-1" }]);
  });
});
