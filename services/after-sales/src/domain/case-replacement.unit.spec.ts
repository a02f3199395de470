import { describe, expect, it } from "vitest";
import { IllegalStateError, ValidationError } from "@oms/errors";
import { expectedRestockOf, recordReplacement, recordReplacementRestock, recordReplacementStep } from "./case-replacement.ts";
import type { AfterSalesCase } from "./case.ts";
import { caseFixture } from "./case-fixture.ts";
import { recordReplacementOverdue } from "./replacement-lateness.ts";

const at = (hour: number) => new Date(`2026-12-08T${String(hour).padStart(2, "0")}:00:00Z`);
const exchange = (more: Partial<AfterSalesCase> = {}): AfterSalesCase =>
  caseFixture({ kind: "exchange", description: { clear: "wrong colour" }, lines: [{ sku: "KETTLE", quantity: 1 }], status: "accepted", openedAt: at(8), ...more });

describe("an exchange's replacement on the case (ADR 030)", () => {
  it("keeps where it stands, then the carrier and tracking number once shipped, with the time", () => {
    const waiting = recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9) });
    const shipped = recordReplacement(waiting, { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    expect(shipped.replacement).toEqual({ status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    // Resolved before it shipped: the case still follows it.
    expect(recordReplacement(exchange({ status: "resolved" }), { status: "reserved", carrier: "", trackingNumber: "", at: at(9) }).replacement?.status).toBe("reserved");
  });

  it("only moves forward: an announcement behind what the case shows changes nothing", () => {
    const shipped = recordReplacement(exchange(), { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(10) });
    expect(recordReplacement(shipped, { status: "reserved", carrier: "", trackingNumber: "", at: at(9) })).toBe(shipped);
    expect(recordReplacement(shipped, { status: "called-off", carrier: "", trackingNumber: "", at: at(11) })).toBe(shipped);
  });

  it("refuses a replacement for a case that is not an accepted exchange", () => {
    for (const c of [exchange({ kind: "return" }), exchange({ kind: "complaint" }), exchange({ status: "open" }), exchange({ status: "declined" })]) {
      expect(() => recordReplacement(c, { status: "reserved", carrier: "", trackingNumber: "", at: at(9) })).toThrow(IllegalStateError);
    }
  });
});

describe("a replacement's clerk steps on the case (ADR 030, seventh addendum)", () => {
  const reserved = (store = "store-2") => recordReplacement(exchange({ storeId: "store-1" }), { status: "reserved", carrier: "", trackingNumber: "", at: at(9), storeId: store });

  it("shows when it was picked and packed at the store it ships from, once each, and keeps them once shipped", () => {
    const picked = recordReplacementStep(reserved(), "picked", at(10), "store-2");
    expect(picked.replacement).toMatchObject({ status: "reserved", pickedAt: at(10) });
    expect(recordReplacementStep(picked, "picked", at(11), "store-2")).toBe(picked);
    const packed = recordReplacementStep(picked, "packed", at(11), "store-2");
    expect(packed.replacement).toMatchObject({ pickedAt: at(10), packedAt: at(11) });
    const shipped = recordReplacement(packed, { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(12), storeId: "store-2" });
    expect(shipped.replacement).toEqual({ status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(12), storeId: "store-2", pickedAt: at(10), packedAt: at(11) });
  });

  it("passes over a step heard after the shipment, at another store, or before any reservation", () => {
    const shipped = recordReplacement(reserved(), { status: "shipped", carrier: "SF Express", trackingNumber: "SF1", at: at(12), storeId: "store-2" });
    expect(recordReplacementStep(shipped, "picked", at(13), "store-2")).toBe(shipped);
    const atB = reserved();
    expect(recordReplacementStep(atB, "picked", at(10), "store-1")).toBe(atB);
    const none = exchange();
    expect(recordReplacementStep(none, "picked", at(10), "store-1")).toBe(none);
  });

  const lateAt = (step: string) =>
    recordReplacementOverdue(reserved(), { level: 1, dueAt: at(9), responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-2", at: at(10), step }) as AfterSalesCase;

  it("ends the lateness the case showed when it was that step's: the step it was late for is done", () => {
    expect(lateAt("pick").replacement?.late).toMatchObject({ step: "pick", level: 1 });
    expect(recordReplacementStep(lateAt("pick"), "picked", at(11), "store-2").replacement?.late).toBeUndefined();
    const packLate = recordReplacementOverdue(recordReplacementStep(reserved(), "picked", at(9), "store-2"), {
      ...{ level: 1, dueAt: at(10), responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-2", at: at(11) },
      step: "pack",
    }) as AfterSalesCase;
    expect(recordReplacementStep(packLate, "packed", at(12), "store-2").replacement?.late).toBeUndefined();
  });

  it("keeps the ship-by lateness of one from before the steps when its clerk picks or packs it: that one deadline is still owed", () => {
    // Its one node is the ship's (step "ship", or "" in a flag written before the steps): a pick or pack meets none of it.
    for (const step of ["ship", ""]) {
      const picked = recordReplacementStep(lateAt(step), "picked", at(11), "store-2");
      expect(picked.replacement).toMatchObject({ pickedAt: at(11), late: { level: 1, dueAt: at(9), step: "ship" } });
      expect(recordReplacementStep(picked, "packed", at(12), "store-2").replacement).toMatchObject({ packedAt: at(12), late: { level: 1, step: "ship" } });
    }
  });
});

describe("when a replacement awaiting stock is expected (ADR 030, addendum)", () => {
  const short = (...dates: string[]) => dates.map((expectedRestockDate, i) => ({ sku: `SKU-${i}`, expectedRestockDate }));

  it("is the latest of the short lines' dates: the replacement ships whole, so it waits for its last SKU", () => {
    expect(expectedRestockOf(short("2026-12-15"))).toBe("2026-12-15");
    expect(expectedRestockOf(short("2026-12-15", "2027-01-04", "2026-12-20"))).toBe("2027-01-04");
  });

  it("is empty when any short line's date is unknown, or none is named: no day is promised that a line may miss", () => {
    expect(expectedRestockOf(short(""))).toBe("");
    expect(expectedRestockOf(short("2026-12-15", ""))).toBe("");
    expect(expectedRestockOf([])).toBe("");
  });

  it("refuses a date that is not an ISO date, naming the line", () => {
    expect(() => expectedRestockOf(short("2026-12-15", "15/12/2026"))).toThrow(ValidationError);
    expect(() => expectedRestockOf(short("2026-12-15", "15/12/2026"))).toThrow(/SKU-1/);
  });

  it("is kept while the replacement awaits stock and dropped once it is reserved, shipped or called off", () => {
    const waiting = recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9), expectedRestockDate: "2026-12-15" });
    expect(waiting.replacement?.expectedRestockDate).toBe("2026-12-15");
    const reserved = recordReplacement(waiting, { status: "reserved", carrier: "", trackingNumber: "", at: at(10) });
    expect(reserved.replacement).toEqual({ status: "reserved", carrier: "", trackingNumber: "", at: at(10) });
    for (const status of ["shipped", "called-off"] as const) {
      expect(recordReplacement(waiting, { status, carrier: "", trackingNumber: "", at: at(10), expectedRestockDate: "2026-12-15" }).replacement).not.toHaveProperty("expectedRestockDate");
    }
  });

  it("never comes back with an awaiting-stock announcement heard after the reservation", () => {
    const reserved = recordReplacement(exchange(), { status: "reserved", carrier: "", trackingNumber: "", at: at(10) });
    expect(recordReplacement(reserved, { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9), expectedRestockDate: "2026-12-15" })).toBe(reserved);
  });
});

describe("a restock date staff recorded while the replacement waits (ADR 030, second addendum)", () => {
  const waiting = recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9) });
  const kettle = (expectedRestockDate: string) => ({ sku: "KETTLE", expectedRestockDate });
  const lid = (expectedRestockDate: string) => ({ sku: "LID", expectedRestockDate });

  it("shows the day of the whole replacement: the latest of its short lines, none while any is unknown", () => {
    expect(recordReplacementRestock(waiting, [kettle("2026-12-20")]).replacement).toEqual({ status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9), expectedRestockDate: "2026-12-20" });
    expect(recordReplacementRestock(waiting, [kettle("2026-12-20"), lid("2027-01-03")]).replacement?.expectedRestockDate).toBe("2027-01-03");
    expect(recordReplacementRestock(waiting, [kettle("2026-12-20"), lid("")])).toBe(waiting);
  });

  it("moves to a new day and drops it when the date is cleared, keeping when the replacement began waiting", () => {
    const dated = recordReplacementRestock(waiting, [kettle("2026-12-20")]);
    const moved = recordReplacementRestock(dated, [kettle("2026-12-28")]);
    expect(moved.replacement).toMatchObject({ expectedRestockDate: "2026-12-28", at: at(9) });
    const cleared = recordReplacementRestock(moved, [kettle("")]);
    expect(cleared.replacement).toEqual({ status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9) });
    // The same day again changes nothing.
    expect(recordReplacementRestock(moved, [kettle("2026-12-28")])).toBe(moved);
  });

  it("is no news once the replacement is reserved, shipped or called off, or before it is heard of", () => {
    const reserved = recordReplacement(waiting, { status: "reserved", carrier: "", trackingNumber: "", at: at(10) });
    expect(recordReplacementRestock(reserved, [kettle("2026-12-20")])).toBe(reserved);
    const none = exchange();
    expect(recordReplacementRestock(none, [kettle("2026-12-20")])).toBe(none);
  });

  it("refuses a date that is not an ISO date, as when the replacement first waited", () => {
    expect(() => recordReplacementRestock(waiting, [kettle("20/12/2026")])).toThrow(ValidationError);
  });
});

describe("a waiting replacement sent from another store (ADR 030, third addendum)", () => {
  it("shows the store it ships from, reserved there, dropping the restock date, and keeps the store through a restock date and the shipment", () => {
    const waiting = recordReplacementRestock(recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9), storeId: "s-1" }), [
      { sku: "KETTLE", expectedRestockDate: "2027-01-10" },
    ]);
    expect(waiting.replacement).toMatchObject({ storeId: "s-1", expectedRestockDate: "2027-01-10" });
    const moved = recordReplacement(waiting, { status: "reserved", carrier: "", trackingNumber: "", at: at(10), storeId: "s-2" });
    expect(moved.replacement).toEqual({ status: "reserved", carrier: "", trackingNumber: "", at: at(10), storeId: "s-2" });
    const shipped = recordReplacement(moved, { status: "shipped", carrier: "SF", trackingNumber: "SF9", at: at(11), storeId: "s-2" });
    expect(shipped.replacement).toMatchObject({ status: "shipped", storeId: "s-2" });
  });

  it("keeps the store while a restock date changes on a waiting one", () => {
    const waiting = recordReplacement(exchange(), { status: "awaiting-stock", carrier: "", trackingNumber: "", at: at(9), storeId: "s-1" });
    expect(recordReplacementRestock(waiting, [{ sku: "KETTLE", expectedRestockDate: "2027-01-10" }]).replacement?.storeId).toBe("s-1");
  });
});
