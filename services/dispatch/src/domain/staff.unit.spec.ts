import { describe, expect, it } from "vitest";
import { isOnShift, localTimeOf, minutesOfClockTime, withTaskAssigned, type StaffWorkload } from "./staff.ts";

const at = (iso: string) => new Date(iso);
const shanghai = (start: string, end: string, days: number[]) => ({ shift: { start, end, days }, timezone: "Asia/Shanghai" });

describe("shifts", () => {
  it("reads clock times, 24:00 included", () => {
    expect(minutesOfClockTime("00:00")).toBe(0);
    expect(minutesOfClockTime("08:30")).toBe(510);
    expect(minutesOfClockTime("24:00")).toBe(1440);
    expect(minutesOfClockTime("24:01")).toBeUndefined();
    expect(minutesOfClockTime("8:30")).toBeUndefined();
    expect(minutesOfClockTime("12:60")).toBeUndefined();
  });

  it("reads the weekday and time in the staff member's time zone", () => {
    // Sunday 20:30 UTC is Monday 04:30 in Shanghai.
    expect(localTimeOf(at("2026-11-29T20:30:00Z"), "Asia/Shanghai")).toEqual({ weekday: 1, minute: 270 });
  });

  it("is on shift between start and end on the shift's days, end excluded", () => {
    const weekdays = shanghai("09:00", "18:00", [1, 2, 3, 4, 5]);
    expect(isOnShift(weekdays, at("2026-11-25T01:00:00Z"))).toBe(true); // Wed 09:00
    expect(isOnShift(weekdays, at("2026-11-25T00:59:00Z"))).toBe(false); // Wed 08:59
    expect(isOnShift(weekdays, at("2026-11-25T10:00:00Z"))).toBe(false); // Wed 18:00
    expect(isOnShift(weekdays, at("2026-11-28T03:00:00Z"))).toBe(false); // Sat 11:00
  });

  it("covers the whole day with 00:00-24:00", () => {
    const allDay = shanghai("00:00", "24:00", [1, 2, 3, 4, 5, 6, 7]);
    expect(isOnShift(allDay, at("2026-11-25T15:59:00Z"))).toBe(true); // Wed 23:59
    expect(isOnShift(allDay, at("2026-11-25T16:00:00Z"))).toBe(true); // Thu 00:00
  });

  it("carries an overnight shift past midnight into the next day", () => {
    const fridayNight = shanghai("22:00", "06:00", [5]);
    expect(isOnShift(fridayNight, at("2026-11-27T15:00:00Z"))).toBe(true); // Fri 23:00
    expect(isOnShift(fridayNight, at("2026-11-27T20:00:00Z"))).toBe(true); // Sat 04:00
    expect(isOnShift(fridayNight, at("2026-11-26T20:00:00Z"))).toBe(false); // Fri 04:00 belongs to Thursday's shift
    const sundayNight = shanghai("22:00", "06:00", [7]);
    expect(isOnShift(sundayNight, at("2026-11-29T20:00:00Z"))).toBe(true); // Mon 04:00
  });

  it("treats a shift that starts when it ends as no shift", () => {
    expect(isOnShift(shanghai("08:00", "08:00", [1, 2, 3, 4, 5, 6, 7]), at("2026-11-25T02:00:00Z"))).toBe(false);
  });
});

describe("a workload once a task is assigned", () => {
  const person = (staffId: string): StaffWorkload => ({
    staff: {
      staffId,
      storeId: "store-1",
      name: staffId,
      roles: ["rider"],
      skills: [],
      regions: [],
      capacity: 5,
      shift: { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] },
      timezone: "Asia/Shanghai",
      active: true,
    },
    activeTasks: 1,
    assignedToday: 4,
    visits: [],
    deliveriesByRoute: { "route:Huangpu": 1 },
  });
  const visit = { from: at("2026-12-05T02:00:00Z"), until: at("2026-12-05T04:00:00Z") };

  it("counts a delivery on its route for the assignee only", () => {
    const [a, b] = withTaskAssigned([person("a"), person("b")], "b", { kind: "delivery", routeGroup: "route:Huangpu" });
    expect(a).toEqual(person("a"));
    expect(b).toMatchObject({ activeTasks: 2, assignedToday: 5, visits: [], deliveriesByRoute: { "route:Huangpu": 2 } });
  });

  it("holds a service task's visit, and counts no route for it", () => {
    const [a] = withTaskAssigned([person("a")], "a", { kind: "service", routeGroup: "", visit });
    expect(a).toMatchObject({ activeTasks: 2, assignedToday: 5, visits: [visit], deliveriesByRoute: { "route:Huangpu": 1 } });
  });

  it("counts a delivery off any route as active work only", () => {
    const [a] = withTaskAssigned([person("a")], "a", { kind: "delivery", routeGroup: "" });
    expect(a).toMatchObject({ activeTasks: 2, assignedToday: 5, deliveriesByRoute: { "route:Huangpu": 1 } });
  });
});
