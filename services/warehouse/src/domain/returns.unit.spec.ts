import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import { assertReturnReceipt, decideReturnReceipt, expectedReturnOf, statusOf, type ExpectedReturn, type ReturnReceipt } from "./returns.ts";

const acceptedAt = new Date("2026-12-07T09:00:00Z");
const accepted = (kind: string, lines = [{ sku: "KETTLE", quantity: 2 }, { sku: "LID", quantity: 1 }]) => ({ caseId: "case-1", orderId: "o-1", storeId: "s-1", kind, lines, acceptedAt });

const expected = (more: Partial<ExpectedReturn> = {}): ExpectedReturn => ({ ...expectedReturnOf(accepted("return"))!, ...more });

const receipt = (lines: ReturnReceipt["lines"], receiptId = "RET-1"): ReturnReceipt => ({ caseId: "case-1", receiptId, lines });
const resellable = (sku: string, n: number, location = "A-01") => ({ sku, resellable: n, location, writeOffs: [] });

function fieldsOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error("expected a validation error");
}

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
