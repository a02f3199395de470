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

    const loads = loadOfWindows(windowsBetween(at("2026-11-25T00:00:00Z"), at("2026-11-25T10:00:00Z"), hours(2)), [cleaner("a"), cleaner("b")], "cleaning", new Map([[window.start.getTime(), new Map([["cleaning", 2]])]]));
    expect(loads.map((l) => [l.start.toISOString().slice(11, 16), l.capacity, l.booked, hasRoom(l)])).toEqual([
      ["00:00", 0, 0, false],
      ["02:00", 2, 2, false],
      ["04:00", 2, 0, true],
      ["06:00", 2, 0, true],
      ["08:00", 0, 0, false],
    ]);
  });

  it("count a person with several skills once: one visit per window, whatever it needs", () => {
    const window = { start: at("2026-11-25T02:00:00Z"), end: at("2026-11-25T04:00:00Z") };
    const both = cleaner("both", { skills: [{ skill: "cleaning", level: 1 }, { skill: "installation", level: 1 }] });
    const bookedInstallation = new Map([[window.start.getTime(), new Map([["installation", 1]])]]);
    const [cleaning] = loadOfWindows([window], [both], "cleaning", bookedInstallation);
    expect(cleaning).toMatchObject({ capacity: 0, booked: 0 });
    expect(hasRoom(cleaning!)).toBe(false);
  });

  it("match visits to people, so a visit goes to the one who can do it while another takes the rest", () => {
    const window = { start: at("2026-11-25T02:00:00Z"), end: at("2026-11-25T04:00:00Z") };
    const people = [cleaner("a-both", { skills: [{ skill: "cleaning", level: 1 }, { skill: "installation", level: 1 }] }), cleaner("b-cleaner")];
    const load = (skill: string, booked: [string, number][]) => loadOfWindows([window], people, skill, new Map([[window.start.getTime(), new Map(booked)]]))[0]!;
    // The cleaning booked first may be a's (first by id); the installer is still free, as b can clean.
    expect(load("installation", [["cleaning", 1]])).toMatchObject({ capacity: 1, booked: 0 });
    expect(load("cleaning", [["installation", 1]])).toMatchObject({ capacity: 1, booked: 0 });
    expect(load("cleaning", [["cleaning", 1], ["installation", 1]])).toMatchObject({ capacity: 1, booked: 1 });
    expect(load("installation", [["cleaning", 2]])).toMatchObject({ capacity: 0, booked: 0 });
    expect(load("cleaning", [])).toMatchObject({ capacity: 2, booked: 0 });
  });
});
