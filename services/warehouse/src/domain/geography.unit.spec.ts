import { describe, expect, it } from "vitest";
import { distanceKm, districtKey } from "./geography.ts";
import { JINGAN, near, far } from "./routing-fixture.ts";

describe("distance and district helpers", () => {
  it("measures great-circle distance in kilometres", () => {
    expect(distanceKm({ lat: 31, lon: 121 }, { lat: 32, lon: 121 })).toBeCloseTo(111.19, 1);
    expect(distanceKm(JINGAN, JINGAN)).toBe(0);
    expect(distanceKm(near, JINGAN)).toBeCloseTo(distanceKm(JINGAN, near), 9);
    expect(distanceKm(near, JINGAN)).toBeLessThan(distanceKm(far, JINGAN));
  });


  it("keys districts by letters and digits only, in lower case", () => {
    expect(districtKey("Jing'an")).toBe(districtKey(" JING’AN "));
    expect(districtKey("Ｘｕｈｕｉ")).toBe("xuhui");
    expect(districtKey("静安区")).toBe("静安区");
  });
});
