import { describe, expect, it } from "vitest";
import { recordReplacement } from "./case-replacement.ts";
import type { AfterSalesCase } from "./case.ts";
import { caseFixture } from "./case-fixture.ts";
import { isLate, recordReplacementOverdue, type ReplacementOverdue } from "./replacement-lateness.ts";

const at = (hour: number) => new Date(`2026-12-08T${String(hour).padStart(2, "0")}:00:00Z`);
const exchange = (more: Partial<AfterSalesCase> = {}): AfterSalesCase =>
  caseFixture({ kind: "exchange", description: { clear: "wrong colour" }, lines: [{ sku: "KETTLE", quantity: 1 }], status: "accepted", openedAt: at(8), ...more });
const reserved = (storeId = "s-1") => recordReplacement(exchange(), { status: "reserved", carrier: "", trackingNumber: "", at: at(9), storeId });
// Written before the steps (ADR 030's seventh addendum) a flag names no step: its ship-by deadline's.
const warned: ReplacementOverdue = { step: "", level: 1, dueAt: at(12), responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "s-1", at: at(12) };
const escalated: ReplacementOverdue = { ...warned, level: 2, escalatedToRole: "store-manager", at: at(13) };

const lateOf = (c: AfterSalesCase | string) => (typeof c === "string" ? c : c.replacement?.late);

describe("a replacement late to ship on the case (ADR 030, sixth addendum)", () => {
  it("shows it late since the warning, then escalated with the same since and deadline, and remembers the level reached", () => {
    const first = recordReplacementOverdue(reserved(), warned);
    expect(lateOf(first)).toEqual({ since: at(12), dueAt: at(12), step: "ship", level: 1, responsibleRole: "warehouse-clerk", escalatedToRole: "" });
    if (typeof first === "string") throw new Error(first);
    const second = recordReplacementOverdue(first, escalated);
    expect(lateOf(second)).toEqual({ since: at(12), dueAt: at(12), step: "ship", level: 2, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager" });
    expect(typeof second !== "string" && second.replacementLateLevelReached).toBe(2);
  });

  it("changes nothing for a flag heard again or a lower level after a higher one", () => {
    const first = recordReplacementOverdue(reserved(), escalated);
    if (typeof first === "string") throw new Error(first);
    expect(recordReplacementOverdue(first, escalated)).toBe("heard");
    expect(recordReplacementOverdue(first, warned)).toBe("heard");
  });

  it("passes over a flag of a replacement shipped, called off or moved to another store since, or of an earlier deadline", () => {
    const shipped = recordReplacement(reserved(), { status: "shipped", carrier: "SF", trackingNumber: "SF1", at: at(11), storeId: "s-1" });
    expect(recordReplacementOverdue(shipped, warned)).toBe("not-reserved");
    const calledOff = recordReplacement(reserved(), { status: "called-off", carrier: "", trackingNumber: "", at: at(11), storeId: "s-1" });
    expect(recordReplacementOverdue(calledOff, warned)).toBe("not-reserved");
    expect(recordReplacementOverdue(reserved("s-2"), warned)).toBe("other-store");
    expect(recordReplacementOverdue(exchange(), warned)).toBe("no-replacement");
    const late = recordReplacementOverdue(reserved(), { ...warned, dueAt: at(14) });
    if (typeof late === "string") throw new Error(late);
    expect(recordReplacementOverdue(late, escalated)).toBe("stale");
  });

  it("takes the case's store for a replacement recorded before its store was kept", () => {
    const old = exchange({ replacement: { status: "reserved", carrier: "", trackingNumber: "", at: at(9) } });
    expect(lateOf(recordReplacementOverdue(old, warned))).toMatchObject({ level: 1 });
  });

  it("is cleared by shipping or calling it off, the level reached kept for the report", () => {
    const late = recordReplacementOverdue(reserved(), warned);
    if (typeof late === "string") throw new Error(late);
    expect(isLate(late.replacement)).toBe(true);
    const shipped = recordReplacement(late, { status: "shipped", carrier: "SF", trackingNumber: "SF1", at: at(13), storeId: "s-1" });
    expect(isLate(shipped.replacement)).toBe(false);
    expect(shipped.replacementLateLevelReached).toBe(1);
    // The same reservation heard again leaves it late.
    expect(isLate(recordReplacement(late, { status: "reserved", carrier: "", trackingNumber: "", at: at(9), storeId: "s-1" }).replacement)).toBe(true);
  });
});
