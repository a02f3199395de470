import { describe, expect, it } from "vitest";
import { exchangeCaseIdOf, exchangeLinesOf, exchangesOrder, openedByDesk, replacementIntentOf, replacementParcelOf, returnReceiptOf, verdictOf } from "./exchange-plan.ts";

const ids = Array.from({ length: 2_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);

describe("the simulated desk's exchange plan (ADR 030)", () => {
  it("draws about the share asked, the same way every time, and calls off about its share of them", () => {
    const exchanged = ids.filter((id) => exchangesOrder(id, 0.2));
    expect(exchanged.length / ids.length).toBeGreaterThan(0.17);
    expect(exchanged.length / ids.length).toBeLessThan(0.23);
    expect(ids.filter((id) => exchangesOrder(id, 0.2))).toEqual(exchanged);
    expect(ids.some((id) => exchangesOrder(id, 0))).toBe(false);
    const calledOff = exchanged.filter((id) => replacementIntentOf(id, 0.3) === "call-off");
    expect(calledOff.length / exchanged.length).toBeGreaterThan(0.22);
    expect(calledOff.length / exchanged.length).toBeLessThan(0.38);
    expect(exchanged.every((id) => replacementIntentOf(id, 0) === "ship")).toBe(true);
  });

  it("has the desk open a guest's exchange from their call, and about a third of the others'", () => {
    expect(ids.every((id) => openedByDesk(id, ""))).toBe(true);
    const byDesk = ids.filter((id) => openedByDesk(id, "c-1")).length / ids.length;
    expect(byDesk).toBeGreaterThan(0.29);
    expect(byDesk).toBeLessThan(0.38);
  });

  it("exchanges one unit of each of the first two SKUs ordered, each named once", () => {
    expect(
      exchangeLinesOf([
        { sku: "KETTLE", quantity: 3 },
        { sku: "KETTLE", quantity: 1 },
        { sku: "LID", quantity: 2 },
        { sku: "MUG", quantity: 1 },
      ]),
    ).toEqual([
      { sku: "KETTLE", quantity: 1 },
      { sku: "LID", quantity: 1 },
    ]);
    expect(exchangeLinesOf([])).toEqual([]);
  });

  it("sends the same case id, parcel and receipt on every retry, and a different parcel for another case", () => {
    const caseId = exchangeCaseIdOf(ids[0]!);
    expect(caseId).toBe(`exchange-${ids[0]}`);
    expect(replacementParcelOf(caseId)).toEqual(replacementParcelOf(caseId));
    expect(replacementParcelOf(caseId).trackingNumber).toMatch(/^SFX[0-9A-F]{12}$/);
    expect(replacementParcelOf(exchangeCaseIdOf(ids[1]!))).not.toEqual(replacementParcelOf(caseId));
    expect(returnReceiptOf(caseId, [{ sku: "KETTLE", quantity: 1 }])).toEqual({
      receiptId: `back-${caseId}`,
      lines: [{ sku: "KETTLE", resellable: 1, location: "RET-01" }],
    });
  });

  it("retries what is down or not there yet, and reports any other refusal rather than retry it", () => {
    expect(verdictOf({ status: 200 })).toBe("done");
    expect(verdictOf({ status: 201 })).toBe("done");
    expect(verdictOf({ status: 503, code: "unavailable" })).toBe("again");
    expect(verdictOf({ status: 500 })).toBe("again");
    expect(verdictOf({ status: 429 })).toBe("again");
    expect(verdictOf({ status: 409, code: "concurrency.conflict", retryAfter: true })).toBe("again");
    expect(verdictOf({ status: 404, code: "replacement.not-found" }, ["replacement.not-found"])).toBe("again");
    expect(verdictOf({ status: 404, code: "replacement.not-found" })).toBe("refused");
    expect(verdictOf({ status: 409, code: "replacement.already-shipped" }, ["replacement.not-found"])).toBe("refused");
    expect(verdictOf({ status: 400, code: "validation" })).toBe("refused");
  });
});
