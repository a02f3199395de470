import { describe, expect, it } from "vitest";
import { ValidationError } from "./index.ts";
import { requestedPeriod } from "./requested-period.ts";

describe("a requested period", () => {
  it("takes a month of local days whose clocks go back in it (October in Berlin: 31 days of 745 hours)", () => {
    const period = requestedPeriod({ from: "2026-10-01T00:00:00+02:00", until: "2026-11-01T00:00:00+01:00" }, [], 31);
    expect(period.until.getTime() - period.from.getTime()).toBe(745 * 3600_000);
  });

  it("still refuses a period longer than its days", () => {
    expect(() => requestedPeriod({ from: "2026-10-01T00:00:00Z", until: "2026-11-01T01:00:01Z" }, [], 31)).toThrow(ValidationError);
    expect(() => requestedPeriod({ from: "2026-10-01T00:00:00Z", until: "2026-11-02T00:00:00Z" }, [], 31)).toThrow(ValidationError);
  });
});
