import { describe, expect, it } from "vitest";
import { businessHoursProblem, describeBusinessHours, isOpenAt, minutesOfClock, windowMeetsOpening, type BusinessHours } from "./business-hours.ts";

// 2026-05-01 is a Friday; Shanghai is UTC+8 all year.
const monToSat: BusinessHours = { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6], timeZone: "Asia/Shanghai" };
const at = (iso: string) => new Date(iso);

describe("business hours", () => {
  it("is open from the opening minute up to, not including, the closing minute, on the store's clock", () => {
    expect(isOpenAt(monToSat, at("2026-05-01T08:59:59+08:00"))).toBe(false);
    expect(isOpenAt(monToSat, at("2026-05-01T09:00:00+08:00"))).toBe(true);
    expect(isOpenAt(monToSat, at("2026-05-01T20:59:59+08:00"))).toBe(true);
    expect(isOpenAt(monToSat, at("2026-05-01T21:00:00+08:00"))).toBe(false);
    // 02:00 UTC is 10:00 in Shanghai; 13:30 UTC is 21:30 there.
    expect(isOpenAt(monToSat, at("2026-05-01T02:00:00Z"))).toBe(true);
    expect(isOpenAt(monToSat, at("2026-05-01T13:30:00Z"))).toBe(false);
  });

  it("is closed on the days it does not open", () => {
    expect(isOpenAt(monToSat, at("2026-05-02T12:00:00+08:00"))).toBe(true);
    expect(isOpenAt(monToSat, at("2026-05-03T12:00:00+08:00"))).toBe(false);
    expect(isOpenAt({ ...monToSat, days: [] }, at("2026-05-01T12:00:00+08:00"))).toBe(false);
  });

  it("keeps a store open around the clock with 00:00–24:00 every day", () => {
    const always: BusinessHours = { open: "00:00", close: "24:00", days: [1, 2, 3, 4, 5, 6, 7], timeZone: "Asia/Shanghai" };
    for (const hour of [0, 5, 12, 23]) expect(isOpenAt(always, at(`2026-05-03T${String(hour).padStart(2, "0")}:30:00+08:00`))).toBe(true);
  });

  it("runs an opening past midnight into the next day when it closes before it opens", () => {
    const fridayNight: BusinessHours = { open: "22:00", close: "02:00", days: [5], timeZone: "Asia/Shanghai" };
    expect(isOpenAt(fridayNight, at("2026-05-01T23:00:00+08:00"))).toBe(true);
    expect(isOpenAt(fridayNight, at("2026-05-02T01:59:00+08:00"))).toBe(true);
    expect(isOpenAt(fridayNight, at("2026-05-02T02:00:00+08:00"))).toBe(false);
    expect(isOpenAt(fridayNight, at("2026-04-30T23:00:00+08:00"))).toBe(false);
  });

  it("follows the zone's daylight-saving time", () => {
    const berlin: BusinessHours = { open: "09:00", close: "17:00", days: [1, 2, 3, 4, 5, 6, 7], timeZone: "Europe/Berlin" };
    // 07:30 UTC is 08:30 on Saturday 28 March 2026 (UTC+1) and 09:30 on Sunday 29 March (UTC+2).
    expect(isOpenAt(berlin, at("2026-03-28T07:30:00Z"))).toBe(false);
    expect(isOpenAt(berlin, at("2026-03-29T07:30:00Z"))).toBe(true);
  });

  it("tells the seconds apart around an opening when the zone's offset has seconds (a UTC minute spans two local minutes)", () => {
    // Monrovia kept UTC−00:44:30 until 1972: it opened at 09:00:00 local, 09:44:30 UTC.
    const monrovia: BusinessHours = { open: "09:00", close: "17:00", days: [1, 2, 3, 4, 5, 6, 7], timeZone: "Africa/Monrovia" };
    for (const [first, second] of [
      ["1960-01-04T09:44:10Z", "1960-01-04T09:44:40Z"],
      ["1960-01-05T09:44:40Z", "1960-01-05T09:44:10Z"],
    ] as const) {
      const asked = [first, second].map((iso) => isOpenAt(monrovia, at(iso)));
      expect(asked).toEqual([first, second].map((iso) => iso.endsWith(":40Z")));
    }
  });

  it("answers alike for every instant of a minute, asked in any order (the minute's answer is kept per zone)", () => {
    // Opens at 09:00 Shanghai time = 01:00 UTC; the minute before and the minute itself, second by second.
    const instants = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2026, 4, 1, 0, 59, i)));
    const shuffled = [...instants].sort((a, b) => ((a.getTime() * 7919) % 120) - ((b.getTime() * 7919) % 120));
    for (const instant of shuffled) expect(isOpenAt(monToSat, instant)).toBe(instant.getUTCHours() === 1);
  });

  it("finds a requested window that meets an opening, and one that only touches it or misses it", () => {
    expect(windowMeetsOpening(monToSat, at("2026-05-02T20:30:00+08:00"), at("2026-05-02T22:00:00+08:00"))).toBe(true);
    expect(windowMeetsOpening(monToSat, at("2026-05-01T21:00:00+08:00"), at("2026-05-01T23:00:00+08:00"))).toBe(false);
    expect(windowMeetsOpening(monToSat, at("2026-05-03T10:00:00+08:00"), at("2026-05-03T18:00:00+08:00"))).toBe(false);
    // Sunday evening to Monday morning reaches Monday's opening.
    expect(windowMeetsOpening(monToSat, at("2026-05-03T18:00:00+08:00"), at("2026-05-04T09:30:00+08:00"))).toBe(true);
    // Without an end, the window is its start.
    expect(windowMeetsOpening(monToSat, at("2026-05-04T08:59:00+08:00"))).toBe(false);
    expect(windowMeetsOpening(monToSat, at("2026-05-04T09:00:00+08:00"))).toBe(true);
    // A window of weeks meets an opening whenever any day opens.
    expect(windowMeetsOpening({ ...monToSat, days: [7] }, at("2026-05-04T00:00:00+08:00"), at("2026-06-04T00:00:00+08:00"))).toBe(true);
  });

  it("describes the hours as a customer reads them", () => {
    expect(describeBusinessHours(monToSat)).toBe("open Mon–Sat 09:00–21:00 (Asia/Shanghai)");
    expect(describeBusinessHours({ ...monToSat, days: [7, 1, 2, 3, 4, 5, 6] })).toBe("open every day 09:00–21:00 (Asia/Shanghai)");
    expect(describeBusinessHours({ ...monToSat, days: [1, 3, 5] })).toBe("open Mon, Wed, Fri 09:00–21:00 (Asia/Shanghai)");
    expect(describeBusinessHours({ ...monToSat, days: [1, 2, 3, 5, 6] })).toBe("open Mon–Wed, Fri, Sat 09:00–21:00 (Asia/Shanghai)");
    expect(describeBusinessHours({ ...monToSat, days: [] })).toBe("not open on any day (Asia/Shanghai)");
  });

  it("reads clock times and names what is wrong with hours that cannot be used", () => {
    expect([minutesOfClock("00:00"), minutesOfClock("09:30"), minutesOfClock("24:00")]).toEqual([0, 570, 1440]);
    expect([minutesOfClock("9:30"), minutesOfClock("09:60"), minutesOfClock("24:01")]).toEqual([undefined, undefined, undefined]);
    expect(businessHoursProblem(monToSat)).toBeUndefined();
    expect(businessHoursProblem({ ...monToSat, open: "24:00" })).toBe("open must be a time of day, 00:00 to 23:59");
    expect(businessHoursProblem({ ...monToSat, close: "00:00" })).toBe("close must be a time of day, 00:01 to 24:00");
    expect(businessHoursProblem({ ...monToSat, close: "09:00" })).toBe("open and close must differ");
    expect(businessHoursProblem({ ...monToSat, days: [0, 1] })).toBe("days must be 1 (Monday) to 7 (Sunday)");
    expect(businessHoursProblem({ ...monToSat, timeZone: "Mars/Olympus_Mons" })).toBe("timezone must be an IANA time zone, e.g. Asia/Shanghai");
  });
});
