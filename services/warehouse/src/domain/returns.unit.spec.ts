import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import { fieldsRefused } from "@oms/testing/refusals";
import {
  assertReturnCallOff,
  assertReturnReceipt,
  decideReturnCallOff,
  decideReturnReceipt,
  expectedReturnOf,
  statusOf,
  type ExpectedReturn,
  type ReturnReceipt,
} from "./returns.ts";

const acceptedAt = new Date("2026-12-07T09:00:00Z");
const accepted = (kind: string, lines = [{ sku: "KETTLE", quantity: 2 }, { sku: "LID", quantity: 1 }]) => ({ caseId: "case-1", orderId: "o-1", storeId: "s-1", kind, lines, acceptedAt });

const expected = (more: Partial<ExpectedReturn> = {}): ExpectedReturn => ({ ...expectedReturnOf(accepted("return"))!, ...more });

const receipt = (lines: ReturnReceipt["lines"], receiptId = "RET-1"): ReturnReceipt => ({ caseId: "case-1", receiptId, lines });
const resellable = (sku: string, n: number, location = "A-01") => ({ sku, resellable: n, location, writeOffs: [] });

const fieldsOf = fieldsRefused;

describe("which accepted cases send goods back", () => {
  it("expects a return's and an exchange's goods at the order's store, a SKU named twice once", () => {
    expect(expectedReturnOf(accepted("exchange", [{ sku: "KETTLE", quantity: 1 }, { sku: "KETTLE", quantity: 2 }]))).toEqual({
      caseId: "case-1",
      orderId: "o-1",
      storeId: "s-1",
      kind: "exchange",
      lines: [{ sku: "KETTLE", expected: 3, restocked: 0, writtenOff: 0 }],
      expectedSince: acceptedAt,
      receiptIds: [],
    });
  });

  it("expects nothing of a repair, maintenance, a complaint, or a case naming no goods", () => {
    for (const kind of ["repair", "maintenance", "complaint"]) expect(expectedReturnOf(accepted(kind))).toBeUndefined();
    expect(expectedReturnOf(accepted("return", []))).toBeUndefined();
  });
});

describe("a return receipt's fields", () => {
  it("names every wrong field: ids, a SKU twice, a shelf missing, a write-off without condition or cause, a line where nothing arrived", () => {
    const fields = fieldsOf(() =>
      assertReturnReceipt({
        caseId: " ",
        receiptId: "",
        lines: [
          { sku: "KETTLE", resellable: 1, location: " ", writeOffs: [{ quantity: 0, condition: "broken" as never, cause: " " }] },
          { sku: "KETTLE", resellable: 0, location: "", writeOffs: [] },
        ],
      }),
    ).map((f) => f.field);
    expect(fields).toEqual([
      "caseId",
      "receiptId",
      "lines[0].location",
      "lines[0].writeOffs[0].quantity",
      "lines[0].writeOffs[0].condition",
      "lines[0].writeOffs[0].cause",
      "lines[1].sku",
      "lines[1]",
    ]);
    expect(fieldsOf(() => assertReturnReceipt(receipt([])))).toEqual([{ field: "lines", message: "must name at least one SKU that came back" }]);
  });

  it("trims what the clerk typed and forgets the shelf of a line with nothing resellable", () => {
    expect(assertReturnReceipt({ caseId: " case-1 ", receiptId: " RET-1 ", lines: [{ sku: " LID ", resellable: 0, location: "A-01", writeOffs: [{ quantity: 1, condition: "damaged", cause: " cracked " }] }] })).toEqual(
      receipt([{ sku: "LID", resellable: 0, location: "", writeOffs: [{ quantity: 1, condition: "damaged", cause: "cracked" }] }]),
    );
  });
});

describe("booking a return receipt", () => {
  it("adds what came back, resellable and written off, to what the case expects; the return is received once every unit is back", () => {
    const first = decideReturnReceipt(expected(), receipt([{ sku: "KETTLE", resellable: 1, location: "A-01", writeOffs: [{ quantity: 1, condition: "damaged", cause: "cracked base" }] }]), undefined);
    expect(first).toMatchObject({ kind: "book", restocked: 1, writtenOff: 1 });
    if (first.kind !== "book") throw new Error("booked");
    expect(first.after.lines).toEqual([
      { sku: "KETTLE", expected: 2, restocked: 1, writtenOff: 1 },
      { sku: "LID", expected: 1, restocked: 0, writtenOff: 0 },
    ]);
    expect(first.after.receiptIds).toEqual(["RET-1"]);
    expect(statusOf(first.after)).toBe("partly-received");
    const second = decideReturnReceipt(first.after, receipt([resellable("LID", 1)], "RET-2"), undefined);
    if (second.kind !== "book") throw new Error("booked");
    expect(statusOf(second.after)).toBe("received");
    expect(statusOf(expected())).toBe("expected");
  });

  it("never takes more than the case still expects, nor a SKU it does not name, naming the line", () => {
    const partly = expected({ lines: [{ sku: "KETTLE", expected: 2, restocked: 1, writtenOff: 0 }, { sku: "LID", expected: 1, restocked: 0, writtenOff: 0 }] });
    expect(fieldsOf(() => decideReturnReceipt(partly, receipt([resellable("KETTLE", 2), resellable("TOASTER", 1)]), undefined))).toEqual([
      { field: "lines[0]", message: "2 of KETTLE arrived, but only 1 are still expected (2 on the case, 1 received before)" },
      { field: "lines[1].sku", message: "TOASTER is not expected back on case case-1 (it names KETTLE, LID)" },
    ]);
  });

  it("answers the same receipt again as a repeat, and refuses other goods under a used receipt id", () => {
    const booked = receipt([resellable("KETTLE", 1)]);
    expect(decideReturnReceipt(expected(), receipt([resellable("KETTLE", 1)]), booked)).toEqual({ kind: "repeat" });
    expect(() => decideReturnReceipt(expected(), receipt([resellable("KETTLE", 2)]), booked)).toThrow(IllegalStateError);
    expect(() => decideReturnReceipt(expected(), receipt([resellable("KETTLE", 1, "B-02")]), booked)).toThrow(/booked for other goods/);
  });
});

describe("calling off an expected return", () => {
  const at = new Date("2026-12-20T10:00:00Z");
  const callOff = (reason = "customer kept the lid") => ({ caseId: "case-1", reason });
  const partly = () => expected({ lines: [{ sku: "KETTLE", expected: 2, restocked: 1, writtenOff: 1 }, { sku: "LID", expected: 1, restocked: 0, writtenOff: 0 }], receiptIds: ["RET-1"] });

  it("names a missing or overlong reason and trims what the desk typed", () => {
    expect(fieldsOf(() => assertReturnCallOff({ caseId: " ", reason: "  " })).map((f) => f.field)).toEqual(["caseId", "reason"]);
    expect(fieldsOf(() => assertReturnCallOff(callOff("x".repeat(501))))).toEqual([{ field: "reason", message: "must be at most 500 characters" }]);
    expect(assertReturnCallOff({ caseId: " case-1 ", reason: ` ${"x".repeat(500)} ` })).toEqual({ caseId: "case-1", reason: "x".repeat(500) });
  });

  it("calls off what is still outstanding, keeping who, when and why, and what came back before", () => {
    const decision = decideReturnCallOff(partly(), callOff(), "staff:cs-1", at);
    expect(decision).toEqual({ kind: "call-off", outstanding: 1, after: { ...partly(), calledOff: { at, by: "staff:cs-1", reason: "customer kept the lid" } } });
    if (decision.kind !== "call-off") throw new Error("called off");
    expect(statusOf(decision.after)).toBe("called-off");
    expect(decideReturnCallOff(expected(), callOff(), "staff:cs-1", at)).toMatchObject({ kind: "call-off", outstanding: 3 });
  });

  it("answers a return called off before as it stands, whatever the reason now; refuses one whose every unit came back", () => {
    const calledOff = { ...partly(), calledOff: { at, by: "staff:cs-1", reason: "customer kept the lid" } };
    expect(decideReturnCallOff(calledOff, callOff("parcel lost"), "staff:sv-2", new Date())).toEqual({ kind: "repeat" });
    const received = expected({ lines: [{ sku: "KETTLE", expected: 2, restocked: 2, writtenOff: 0 }, { sku: "LID", expected: 1, restocked: 0, writtenOff: 1 }], receiptIds: ["RET-1", "RET-2"] });
    expect(() => decideReturnCallOff(received, callOff(), "staff:cs-1", at)).toThrow(expect.objectContaining({ kind: "illegal-state", code: "return.already-received" }));
  });

  it("still books goods that arrive after all, and the return is received once every unit is back", () => {
    const calledOff = { ...partly(), calledOff: { at, by: "staff:cs-1", reason: "customer kept the lid" } };
    const late = decideReturnReceipt(calledOff, receipt([resellable("LID", 1)], "RET-2"), undefined);
    if (late.kind !== "book") throw new Error("booked");
    expect(late).toMatchObject({ restocked: 1, writtenOff: 0 });
    expect(late.after.calledOff).toEqual(calledOff.calledOff);
    expect(statusOf(late.after)).toBe("received");
    // Still beyond what the case named is refused: a call-off does not widen the return.
    expect(fieldsOf(() => decideReturnReceipt(late.after, receipt([resellable("LID", 1)], "RET-3"), undefined))).toEqual([
      { field: "lines[0]", message: "1 of LID arrived, but only 0 are still expected (1 on the case, 1 received before)" },
    ]);
  });
});
