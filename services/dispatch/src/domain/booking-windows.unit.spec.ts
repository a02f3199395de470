import { describe, expect, it } from "vitest";
import { hasRoom, loadOfWindows, servesWindow, windowStartingAt, windowsBetween } from "./booking-windows.ts";
import type { Staff } from "./staff.ts";

const hours = (h: number) => h * 3600_000;
const cleaner = (staffId: string, overrides: Partial<Staff> = {}): Staff => ({
  staffId,
  storeId: "store-1",
  name: staffId,
  roles: ["service-staff"],
  skills: [{ skill: "cleaning", level: 1 }],
  regions: [],
  capacity: 3,
  // 09:00-17:00 Shanghai = 01:00-09:00 UTC, every day.
  shift: { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5, 6, 7] },
  timezone: "Asia/Shanghai",
  active: true,
  ...overrides,
});
const at = (iso: string) => new Date(iso);

describe("service windows", () => {
  it("are cut at multiples of their length", () => {
    expect(windowsBetween(at("2026-11-25T01:30:00Z"), at("2026-11-25T08:00:00Z"), hours(2)).map((w) => w.start.toISOString())).toEqual([
      "2026-11-25T02:00:00.000Z",
      "2026-11-25T04:00:00.000Z",
      "2026-11-25T06:00:00.000Z",
    ]);
    expect(windowStartingAt(at("2026-11-25T03:00:00Z"), hours(2))).toBeUndefined();
    expect(windowStartingAt(at("2026-11-25T04:00:00Z"), hours(2))?.end.toISOString()).toBe("2026-11-25T06:00:00.000Z");
  });

  it("hold one visit per person with the skill on shift and present for the whole window", () => {
    const window = { start: at("2026-11-25T02:00:00Z"), end: at("2026-11-25T04:00:00Z") };
    expect(servesWindow(cleaner("a"), "cleaning", window)).toBe(true);
    expect(servesWindow(cleaner("a"), "installation", window)).toBe(false);
    expect(servesWindow(cleaner("a", { active: false }), "cleaning", window)).toBe(false);
    // Shift ends in the middle of the window.
    expect(servesWindow(cleaner("a", { shift: { start: "09:00", end: "11:00", days: [1, 2, 3, 4, 5, 6, 7] } }), "cleaning", window)).toBe(false);
    expect(servesWindow(cleaner("a", { absences: [{ from: at("2026-11-25T03:00:00Z"), until: at("2026-11-25T05:00:00Z"), reason: "doctor" }] }), "cleaning", window)).toBe(false);

    const loads = loadOfWindows(windowsBetween(at("2026-11-25T00:00:00Z"), at("2026-11-25T10:00:00Z"), hours(2)), [cleaner("a"), cleaner("b")], "cleaning", new Map([[window.start.getTime(), 2]]));
    expect(loads.map((l) => [l.start.toISOString().slice(11, 16), l.capacity, l.booked, hasRoom(l)])).toEqual([
      ["00:00", 0, 0, false],
      ["02:00", 2, 2, false],
      ["04:00", 2, 0, true],
      ["06:00", 2, 0, true],
      ["08:00", 0, 0, false],
    ]);
  });
});
