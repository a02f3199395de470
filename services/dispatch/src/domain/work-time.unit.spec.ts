import { describe, expect, it } from "vitest";
import type { Staff } from "./staff.ts";
import { unavailabilityFor, workTimeOf } from "./work-time.ts";

// A Wednesday, 10:00 in Shanghai.
const now = new Date("2026-11-25T02:00:00Z");
const at = (iso: string) => new Date(iso);

const staff = (overrides: Partial<Staff> = {}): Pick<Staff, "active" | "shift" | "timezone" | "absences"> => ({
  active: true,
  shift: { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5] },
  timezone: "Asia/Shanghai",
  ...overrides,
});

describe("the time a task is judged at", () => {
  it("is now for a task due immediately, its window for one ahead, its visit for a service visit", () => {
    expect(workTimeOf({}, now)).toEqual({ kind: "now", at: now });
    expect(workTimeOf({ dueFrom: at("2026-11-25T01:00:00Z"), dueUntil: at("2026-11-25T05:00:00Z") }, now)).toEqual({ kind: "now", at: now });
    expect(workTimeOf({ dueUntil: at("2026-11-25T05:00:00Z") }, now)).toEqual({ kind: "now", at: now });
    expect(workTimeOf({ dueFrom: at("2026-11-25T06:00:00Z"), dueUntil: at("2026-11-25T08:00:00Z") }, now)).toEqual({
      kind: "window",
      from: at("2026-11-25T06:00:00Z"),
      until: at("2026-11-25T08:00:00Z"),
    });
    const visit = { from: at("2026-11-25T06:00:00Z"), until: at("2026-11-25T08:00:00Z") };
    expect(workTimeOf({ dueFrom: at("2026-11-26T00:00:00Z"), visit }, now)).toEqual({ kind: "visit", ...visit });
    // A visit under way is served from now; one that is over is judged now.
    expect(workTimeOf({ visit: { from: at("2026-11-25T01:00:00Z"), until: at("2026-11-25T03:00:00Z") } }, now)).toEqual({ kind: "visit", from: now, until: at("2026-11-25T03:00:00Z") });
    expect(workTimeOf({ visit: { from: at("2026-11-25T00:00:00Z"), until: at("2026-11-25T01:00:00Z") } }, now)).toEqual({ kind: "now", at: now });
  });

  it("says why a holder can no longer do a task at its time", () => {
    const tonight = workTimeOf({ dueFrom: at("2026-11-25T12:00:00Z"), dueUntil: at("2026-11-25T14:00:00Z") }, now);
    expect(unavailabilityFor(staff(), workTimeOf({}, now))).toBeUndefined();
    expect(unavailabilityFor(staff(), tonight)).toBe("off-shift");
    expect(unavailabilityFor(staff({ active: false }), workTimeOf({}, now))).toBe("inactive");
    const evenings = staff({ shift: { start: "19:00", end: "23:00", days: [3] } });
    expect(unavailabilityFor(evenings, tonight)).toBeUndefined();
    expect(unavailabilityFor({ ...evenings, absences: [{ from: at("2026-11-25T10:00:00Z"), until: at("2026-11-26T00:00:00Z"), reason: "leave" }] }, tonight)).toBe("absent");
  });
});
