import { describe, expect, it } from "vitest";
import { minorUnitsOfDecimal } from "./decimal-money.ts";

describe("decimal amounts to minor units", () => {
  it("reads whole, one-decimal and two-decimal amounts exactly", () => {
    expect(minorUnitsOfDecimal("199.00")).toEqual({ ok: true, minor: 19_900 });
    expect(minorUnitsOfDecimal("199.5")).toEqual({ ok: true, minor: 19_950 });
    expect(minorUnitsOfDecimal("199")).toEqual({ ok: true, minor: 19_900 });
    expect(minorUnitsOfDecimal("0.29")).toEqual({ ok: true, minor: 29 });
    expect(minorUnitsOfDecimal("0.07")).toEqual({ ok: true, minor: 7 });
    expect(minorUnitsOfDecimal("1234567.89")).toEqual({ ok: true, minor: 123_456_789 });
  });

  it("refuses more than two decimals, signs, exponents and other text", () => {
    expect(minorUnitsOfDecimal("199.001")).toEqual({ ok: false, message: "must have at most 2 decimals" });
    for (const bad of ["-1.00", "1e3", "1,000.00", "", ".5", "5.", "abc", "0x10"]) expect(minorUnitsOfDecimal(bad).ok, bad).toBe(false);
  });
});
