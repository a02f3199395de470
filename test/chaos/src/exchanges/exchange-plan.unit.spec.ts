import { describe, expect, it } from "vitest";
import {
  carrierClaimOf,
  carrierReceiptsOf,
  claimsFromCarrier,
  exchangeCaseIdOf,
  exchangeLinesOf,
  exchangesOrder,
  expectedRestockDateOf,
  moveTargetOf,
  movesReplacement,
  openedByDesk,
  recordsRestock,
  replacementIntentOf,
  restockingReceiptOf,
  runsShortFirst,
  replacementParcelOf,
  returnReceiptOf,
  storeClerkOf,
  verdictOf,
} from "./exchange-plan.ts";

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

  it("draws its share of moves, restock dates and carrier claims, each apart from the others and the same every time", () => {
    const share = (pick: (id: string) => boolean) => ids.filter(pick).length / ids.length;
    for (const pick of [(id: string) => movesReplacement(id, 0.5), (id: string) => recordsRestock(id, 0.5), (id: string) => claimsFromCarrier(id, 0.5)]) {
      expect(share(pick)).toBeGreaterThan(0.45);
      expect(share(pick)).toBeLessThan(0.55);
    }
    expect(ids.some((id) => movesReplacement(id, 0) || recordsRestock(id, 0) || claimsFromCarrier(id, 0))).toBe(false);
    // Apart: about a quarter both move and claim, not all or none.
    const both = share((id) => movesReplacement(id, 0.5) && claimsFromCarrier(id, 0.5));
    expect(both).toBeGreaterThan(0.2);
    expect(both).toBeLessThan(0.3);
  });

  it("moves to another store that has every line, the most to spare on its tightest line first, and to none when no store has it all", () => {
    const lines = [
      { sku: "KETTLE", quantity: 1 },
      { sku: "LID", quantity: 2 },
    ];
    const availability = [
      { sku: "KETTLE", stores: [{ storeId: "s-1", available: 50 }, { storeId: "s-2", available: 9 }, { storeId: "s-3", available: 4 }, { storeId: "s-4", available: 3 }] },
      { sku: "LID", stores: [{ storeId: "s-1", available: 50 }, { storeId: "s-2", available: 1 }, { storeId: "s-3", available: 6 }, { storeId: "s-4", available: 5 }] },
    ];
    // s-1 is where it waits; s-2 is short of lids; s-3 spares 3 on its tightest line, s-4 2.
    expect(moveTargetOf("s-1", lines, availability)).toBe("s-3");
    expect(moveTargetOf("s-3", lines, availability)).toBe("s-1");
    expect(moveTargetOf("s-1", lines, [availability[0]!])).toBeUndefined();
    expect(moveTargetOf("s-1", lines, [])).toBeUndefined();
    // A tie goes to the lower id, so every retry names the same store.
    expect(moveTargetOf("s-9", [{ sku: "KETTLE", quantity: 1 }], [{ sku: "KETTLE", stores: [{ storeId: "s-b", available: 2 }, { storeId: "s-a", available: 2 }] }])).toBe("s-a");
    expect(storeClerkOf("store-sh-02")).toBe("staff:chaos-clerk-store-sh-02:warehouse-clerk@store-sh-02");
  });

  it("records a restock date 3 to 20 days ahead, the same for every retry of one order", () => {
    const days = ids.map((id) => (Date.parse(expectedRestockDateOf(id, "2026-12-07")) - Date.parse("2026-12-07")) / 86_400_000);
    expect(Math.min(...days)).toBe(3);
    expect(Math.max(...days)).toBe(20);
    expect(days.every(Number.isInteger)).toBe(true);
    expect(expectedRestockDateOf(ids[0]!, "2026-12-30")).toEqual(expectedRestockDateOf(ids[0]!, "2026-12-30"));
    expect(expectedRestockDateOf(ids[0]!, "2026-12-30")).toMatch(/^2027-01-\d\d$/);
  });

  it("claims within the order's total, settles two thirds of claims for at most what was claimed, and claims nothing without a total", () => {
    const claims = ids.map((id) => carrierClaimOf(id, 10_000)!);
    expect(claims.every((c) => c.amountMinor >= 2_000 && c.amountMinor <= 6_000)).toBe(true);
    const settled = claims.filter((c) => c.answer.kind === "settle");
    expect(settled.length / claims.length).toBeGreaterThan(0.6);
    expect(settled.length / claims.length).toBeLessThan(0.72);
    expect(settled.every((c) => c.answer.kind === "settle" && c.answer.recoveredMinor >= 1 && c.answer.recoveredMinor <= c.amountMinor)).toBe(true);
    expect(carrierClaimOf(ids[0]!, 1)?.amountMinor).toBe(1);
    expect(carrierClaimOf(ids[0]!, 0)).toBeUndefined();
    expect(carrierClaimOf(ids[0]!, 10_000)).toEqual(carrierClaimOf(ids[0]!, 10_000));
    expect(carrierClaimOf(ids[0]!, 10_000)?.carrierReference).toMatch(/^CLM-[0-9A-F]{10}$/);
  });

  it("has three fifths of carriers pay what they agreed, half of those in two parts, each part under a reference of its own, never more than agreed", () => {
    const paid = ids.map((id) => carrierReceiptsOf(id, 5_001)).filter((receipts) => receipts.length > 0);
    expect(paid.length / ids.length).toBeGreaterThan(0.52);
    expect(paid.length / ids.length).toBeLessThan(0.68);
    const inParts = paid.filter((receipts) => receipts.length === 2).length / paid.length;
    expect(inParts).toBeGreaterThan(0.38);
    expect(inParts).toBeLessThan(0.62);
    expect(paid.every((receipts) => receipts.reduce((t, r) => t + r.amountMinor, 0) === 5_001 && receipts.every((r) => r.amountMinor >= 1))).toBe(true);
    const references = paid.flatMap((receipts) => receipts.map((r) => r.reference));
    expect(new Set(references).size).toBe(references.length);
    expect(references.every((r) => /^PAY-[0-9A-F]{12}$/.test(r) || /^REM-[0-9A-F]{12}#1$/.test(r))).toBe(true);
    // A third of those paid at once by a remittance, the payment its one allocation; never one paid in parts.
    const atOnce = paid.filter((receipts) => receipts.length === 1);
    const byRemittance = atOnce.filter((receipts) => receipts[0]!.remittance !== undefined);
    expect(byRemittance.length / atOnce.length).toBeGreaterThan(0.2);
    expect(byRemittance.length / atOnce.length).toBeLessThan(0.47);
    expect(byRemittance.every(([r]) => r!.reference === `${r!.remittance}#1`)).toBe(true);
    expect(paid.filter((receipts) => receipts.length === 2).every((receipts) => receipts.every((r) => r.remittance === undefined))).toBe(true);
    // One unit is never split; nothing agreed, nothing paid; the same every time.
    expect(ids.map((id) => carrierReceiptsOf(id, 1)).every((receipts) => receipts.length <= 1)).toBe(true);
    expect(ids.every((id) => carrierReceiptsOf(id, 0).length === 0)).toBe(true);
    expect(carrierReceiptsOf(ids[0]!, 5_001)).toEqual(carrierReceiptsOf(ids[0]!, 5_001));
    // A fifth of the paid have their first payment booked in error, booked again under a reference of its own.
    const reversed = paid.filter((receipts) => receipts[0]!.reversal !== undefined);
    expect(reversed.length / paid.length).toBeGreaterThan(0.12);
    expect(reversed.length / paid.length).toBeLessThan(0.28);
    expect(paid.every((receipts) => receipts.slice(1).every((r) => r.reversal === undefined))).toBe(true);
    const again = reversed.map((receipts) => receipts[0]!.reversal!.rebookedAs);
    expect(again.every((r) => /^PAY-[0-9A-F]{12}$/.test(r) && !references.includes(r))).toBe(true);
    expect(new Set(again).size).toBe(again.length);
  });

  it("runs a store short before about its share of moves, and ends it with one delivery per case", () => {
    const moving = ids.filter((id) => movesReplacement(id, 1));
    const short = moving.filter((id) => runsShortFirst(id, 0.5)).length / moving.length;
    expect(short).toBeGreaterThan(0.45);
    expect(short).toBeLessThan(0.55);
    expect(ids.some((id) => runsShortFirst(id, 0))).toBe(false);
    expect(restockingReceiptOf("exchange-1", "KETTLE", "B-01-01")).toEqual({ receiptId: "restock-exchange-1", sku: "KETTLE", location: "B-01-01", quantity: 1_000_000 });
  });
});
