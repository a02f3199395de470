import { describe, expect, it } from "vitest";
import { carrierRecoveryDueDaysFromEnv } from "./recovery-overdue.ts";

describe("BILLING_CARRIER_RECOVERY_DUE_DAYS", () => {
  it("is 30 days unless set, fractions of a day allowed", () => {
    expect(carrierRecoveryDueDaysFromEnv({})).toBe(30);
    expect(carrierRecoveryDueDaysFromEnv({ BILLING_CARRIER_RECOVERY_DUE_DAYS: "" })).toBe(30);
    expect(carrierRecoveryDueDaysFromEnv({ BILLING_CARRIER_RECOVERY_DUE_DAYS: "45" })).toBe(45);
    expect(carrierRecoveryDueDaysFromEnv({ BILLING_CARRIER_RECOVERY_DUE_DAYS: "0.5" })).toBe(0.5);
  });

  it("refuses to start on a value that is no number of days, none or more than a year", () => {
    for (const bad of ["0", "-1", "367", "thirty", "Infinity"]) {
      expect(() => carrierRecoveryDueDaysFromEnv({ BILLING_CARRIER_RECOVERY_DUE_DAYS: bad })).toThrow(/BILLING_CARRIER_RECOVERY_DUE_DAYS must be/);
    }
  });
});
