import { describe, expect, it } from "vitest";
import { dailyReconciliationTimeFromEnv, dayBefore, nextDailyRun } from "./daily-reconciliation.ts";

describe("the daily reconciliation's schedule", () => {
  it("runs at 02:00 local time unless told otherwise, or never when off; a bad time is refused by name", () => {
    expect(dailyReconciliationTimeFromEnv({})).toEqual({ hour: 2, minute: 0 });
    expect(dailyReconciliationTimeFromEnv({ BILLING_RECONCILE_AT: "23:45" })).toEqual({ hour: 23, minute: 45 });
    expect(dailyReconciliationTimeFromEnv({ BILLING_RECONCILE_AT: "off" })).toBe("off");
    expect(() => dailyReconciliationTimeFromEnv({ BILLING_RECONCILE_AT: "25:00" })).toThrow(/BILLING_RECONCILE_AT/);
    expect(() => dailyReconciliationTimeFromEnv({ BILLING_RECONCILE_AT: "2am" })).toThrow(/BILLING_RECONCILE_AT/);
  });

  it("is next due today if the time is still ahead, else tomorrow, keyed by that local day", () => {
    const at = { hour: 2, minute: 0 };
    expect(nextDailyRun(new Date(2026, 11, 7, 1, 30), at)).toEqual({ dueAt: new Date(2026, 11, 7, 2, 0), key: "2026-12-07" });
    expect(nextDailyRun(new Date(2026, 11, 7, 2, 0), at)).toEqual({ dueAt: new Date(2026, 11, 8, 2, 0), key: "2026-12-08" });
    expect(nextDailyRun(new Date(2026, 11, 31, 9, 0), at).key).toBe("2027-01-01");
  });

  it("reconciles the local day before, midnight to midnight", () => {
    expect(dayBefore("2027-01-01")).toEqual({ from: new Date(2026, 11, 31), until: new Date(2027, 0, 1) });
  });
});
