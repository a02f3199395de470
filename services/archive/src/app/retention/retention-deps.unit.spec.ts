import { describe, expect, it } from "vitest";
import { retentionYearsFromEnv } from "./retention-deps.ts";

describe("ARCHIVE_RETENTION_YEARS", () => {
  it("is 30 years unless set, and any whole number of years from 1 to 100", () => {
    expect(retentionYearsFromEnv({})).toBe(30);
    expect(retentionYearsFromEnv({ ARCHIVE_RETENTION_YEARS: "" })).toBe(30);
    expect(retentionYearsFromEnv({ ARCHIVE_RETENTION_YEARS: "1" })).toBe(1);
    expect(retentionYearsFromEnv({ ARCHIVE_RETENTION_YEARS: "100" })).toBe(100);
  });

  it("stops the start on anything else, naming the variable", () => {
    for (const raw of ["0", "101", "2.5", "-3", "thirty", "30y"]) {
      expect(() => retentionYearsFromEnv({ ARCHIVE_RETENTION_YEARS: raw }), raw).toThrow(/ARCHIVE_RETENTION_YEARS must be a whole number from 1 to 100/);
    }
  });
});
