import { describe, expect, it } from "vitest";
import { chooseAssignee, compareDispatchOrder, requiredSkillsOf } from "./assignee-choice.ts";
import type { Staff, StaffWorkload } from "./staff.ts";
import type { Task } from "./task.ts";

// A Wednesday, 10:00 in Shanghai.
const now = new Date("2026-11-25T02:00:00Z");

const person = (staffId: string, overrides: Partial<Staff> = {}): Staff => ({
  staffId,
  storeId: "store-1",
  name: staffId,
  roles: ["rider"],
  skills: [{ skill: "delivery", level: 2 }],
  regions: ["Jing'an"],
  capacity: 3,
  shift: { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5] },
  timezone: "Asia/Shanghai",
  active: true,
  ...overrides,
});

const load = (staff: Staff, activeTasks = 0): StaffWorkload => ({ staff, activeTasks });

const delivery: Pick<Task, "storeId" | "kind" | "skills" | "region"> = { storeId: "store-1", kind: "delivery", skills: [], region: "Jing'an" };

describe("choosing an assignee", () => {
  it("takes the eligible person with the fewest active tasks", () => {
    const choice = chooseAssignee(delivery, [load(person("a"), 2), load(person("b"), 1), load(person("c"), 2)], now);
    expect(choice).toEqual({ kind: "chosen", staffId: "b", activeTasks: 1 });
  });

  it("breaks ties by staff id, whatever order the candidates come in", () => {
    const candidates = [load(person("staff-9"), 1), load(person("staff-10"), 1), load(person("staff-2"), 1)];
    expect(chooseAssignee(delivery, candidates, now)).toMatchObject({ staffId: "staff-10" });
    expect(chooseAssignee(delivery, [...candidates].reverse(), now)).toMatchObject({ staffId: "staff-10" });
  });

  it("never exceeds capacity: a full person is passed over, and everyone full queues the task", () => {
    const full = load(person("a", { capacity: 2 }), 2);
    const busy = load(person("b", { capacity: 5 }), 4);
    expect(chooseAssignee(delivery, [full, busy], now)).toMatchObject({ staffId: "b" });
    expect(chooseAssignee(delivery, [full, load(person("b", { capacity: 4 }), 4)], now)).toEqual({
      kind: "none",
      reason: "everyone eligible is at capacity",
    });
  });

  it("requires the delivery skill for deliveries and every requested skill otherwise", () => {
    const installer = person("installer", { skills: [{ skill: "installation", level: 3 }, { skill: "cleaning", level: 1 }] });
    const rider = person("rider");
    expect(requiredSkillsOf({ kind: "delivery", skills: [] })).toEqual(["delivery"]);
    expect(chooseAssignee(delivery, [load(installer)], now)).toEqual({ kind: "none", reason: "nobody has the skills delivery" });
    const service = { ...delivery, kind: "service" as const, skills: ["installation", "cleaning"] };
    expect(chooseAssignee(service, [load(rider), load(installer, 1)], now)).toMatchObject({ staffId: "installer" });
    expect(chooseAssignee({ ...service, skills: ["plumbing"] }, [load(installer)], now)).toMatchObject({ kind: "none" });
  });

  it("does not count a skill at level 0", () => {
    const trainee = person("trainee", { skills: [{ skill: "delivery", level: 0 }] });
    expect(chooseAssignee(delivery, [load(trainee)], now)).toMatchObject({ kind: "none" });
  });

  it("keeps to the store and the region, except that a counter handover needs no region", () => {
    const otherStore = person("other", { storeId: "store-2" });
    const elsewhere = person("elsewhere", { regions: ["Pudong"] });
    expect(chooseAssignee(delivery, [load(otherStore)], now)).toEqual({ kind: "none", reason: "no active staff in store store-1" });
    expect(chooseAssignee(delivery, [load(elsewhere)], now)).toEqual({ kind: "none", reason: "nobody with those skills serves region Jing'an" });
    const clerk = person("clerk", { regions: [], skills: [{ skill: "counter", level: 1 }] });
    expect(chooseAssignee({ ...delivery, kind: "pickup-handover", skills: ["counter"] }, [load(clerk)], now)).toMatchObject({ staffId: "clerk" });
  });

  it("passes over inactive people and people off shift", () => {
    const inactive = person("inactive", { active: false });
    const weekendOnly = person("weekend", { shift: { start: "08:00", end: "18:00", days: [6, 7] } });
    const nights = person("nights", { shift: { start: "20:00", end: "06:00", days: [1, 2, 3, 4, 5, 6, 7] } });
    expect(chooseAssignee(delivery, [load(inactive)], now)).toMatchObject({ kind: "none", reason: "no active staff in store store-1" });
    expect(chooseAssignee(delivery, [load(weekendOnly), load(nights)], now)).toEqual({ kind: "none", reason: "nobody eligible is on shift" });
    expect(chooseAssignee(delivery, [load(weekendOnly), load(nights, 2), load(person("day"), 2)], now)).toMatchObject({ staffId: "day" });
  });

  it("queues when there is nobody at all", () => {
    expect(chooseAssignee(delivery, [], now)).toEqual({ kind: "none", reason: "no active staff in store store-1" });
  });
});

describe("dispatch order", () => {
  const task = (taskId: string, priority: number, createdAt: string) => ({ taskId, priority, createdAt: new Date(createdAt) });

  it("puts higher priority first, then older tasks, then task id", () => {
    const tasks = [
      task("t-low-old", 0, "2026-11-25T01:00:00Z"),
      task("t-high-new", 5, "2026-11-25T03:00:00Z"),
      task("t-high-old", 5, "2026-11-25T02:00:00Z"),
      task("t-mid-b", 2, "2026-11-25T02:00:00Z"),
      task("t-mid-a", 2, "2026-11-25T02:00:00Z"),
    ];
    expect(tasks.sort(compareDispatchOrder).map((t) => t.taskId)).toEqual(["t-high-old", "t-high-new", "t-mid-a", "t-mid-b", "t-low-old"]);
  });
});

describe("choosing an assignee, with reassignment, absences, fairness and pinning", () => {
  it("never offers a task again to someone who declined or missed it", () => {
    const task = { ...delivery, excludedStaffIds: ["a"] };
    expect(chooseAssignee(task, [load(person("a")), load(person("b"), 2)], now)).toMatchObject({ kind: "chosen", staffId: "b" });
    expect(chooseAssignee(task, [load(person("a"))], now)).toEqual({ kind: "none", reason: "everyone eligible has declined or missed this task" });
  });

  it("passes over people who are absent now, but not those whose absence is over or yet to come", () => {
    const away = (from: string, until: string) => person("a", { absences: [{ from: new Date(from), until: new Date(until), reason: "leave" }] });
    expect(chooseAssignee(delivery, [load(away("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z"))], now)).toEqual({ kind: "none", reason: "everyone eligible is absent" });
    expect(chooseAssignee(delivery, [load(away("2026-11-25T02:00:01Z", "2026-11-26T00:00:00Z"))], now)).toMatchObject({ kind: "chosen", staffId: "a" });
    expect(chooseAssignee(delivery, [load(away("2026-11-24T00:00:00Z", "2026-11-25T02:00:00Z"))], now)).toMatchObject({ kind: "chosen", staffId: "a" });
  });

  it("spreads a day's work: equal loads go to whoever got fewer tasks today, then by staff id", () => {
    const choice = chooseAssignee(delivery, [{ ...load(person("a")), assignedToday: 5 }, { ...load(person("b")), assignedToday: 2 }, { ...load(person("c")), assignedToday: 2 }], now);
    expect(choice).toMatchObject({ staffId: "b" });
    // The current load still comes first.
    expect(chooseAssignee(delivery, [{ ...load(person("a"), 0), assignedToday: 9 }, { ...load(person("b"), 1), assignedToday: 0 }], now)).toMatchObject({ staffId: "a" });
  });

  it("gives the store's pinned person the task whenever they are eligible, and someone else when not", () => {
    expect(chooseAssignee(delivery, [load(person("a")), load(person("b"), 2)], now, "b")).toMatchObject({ staffId: "b" });
    expect(chooseAssignee(delivery, [load(person("a")), load(person("b"), 3)], now, "b")).toMatchObject({ staffId: "a" });
  });
});

describe("choosing an assignee at the task's time, not the engine's", () => {
  // `now` is Wednesday 10:00 in Shanghai; Wednesday 20:00–22:00 there is 12:00–14:00 UTC.
  const evening = { dueFrom: new Date("2026-11-25T12:00:00Z"), dueUntil: new Date("2026-11-25T14:00:00Z") };
  const days = person("days");
  const evenings = person("evenings", { shift: { start: "19:00", end: "23:00", days: [1, 2, 3, 4, 5] } });

  it("gives a delivery due this evening to the person on shift then, though off shift now", () => {
    expect(chooseAssignee({ ...delivery, ...evening }, [load(days), load(evenings, 2)], now)).toMatchObject({ staffId: "evenings" });
    expect(chooseAssignee({ ...delivery, ...evening }, [load(days)], now)).toEqual({
      kind: "none",
      reason: "nobody eligible is on shift between 2026-11-25T12:00:00.000Z and 2026-11-25T14:00:00.000Z",
    });
  });

  it("judges a task due immediately (no due time, or its window has begun) at the current time", () => {
    const begun = { dueFrom: new Date("2026-11-25T01:00:00Z"), dueUntil: new Date("2026-11-25T14:00:00Z") };
    expect(chooseAssignee({ ...delivery, ...begun }, [load(days, 2), load(evenings)], now)).toMatchObject({ staffId: "days" });
    expect(chooseAssignee(delivery, [load(evenings)], now)).toEqual({ kind: "none", reason: "nobody eligible is on shift" });
  });

  it("needs a window ahead covered only at some moment of it, by someone not absent then", () => {
    // On shift 21:30–23:00 only: half an hour of the 20:00–22:00 window.
    const late = person("late", { shift: { start: "21:30", end: "23:00", days: [3] } });
    expect(chooseAssignee({ ...delivery, ...evening }, [load(late)], now)).toMatchObject({ staffId: "late" });
    const awayTonight = person("away", { ...evenings, staffId: "away", absences: [{ from: new Date("2026-11-25T11:00:00Z"), until: new Date("2026-11-26T00:00:00Z"), reason: "leave" }] });
    expect(chooseAssignee({ ...delivery, ...evening }, [load(awayTonight)], now)).toEqual({
      kind: "none",
      reason: "everyone eligible is absent between 2026-11-25T12:00:00.000Z and 2026-11-25T14:00:00.000Z",
    });
    // Away now, but back for the evening: eligible.
    const awayNow = person("away", { ...evenings, staffId: "away", absences: [{ from: new Date("2026-11-25T00:00:00Z"), until: new Date("2026-11-25T11:00:00Z"), reason: "dentist" }] });
    expect(chooseAssignee({ ...delivery, ...evening }, [load(awayNow)], now)).toMatchObject({ staffId: "away" });
  });

  it("needs a visit (an appointment or a booked window) served whole", () => {
    const installer = (id: string, shift: Staff["shift"]) => person(id, { skills: [{ skill: "installation", level: 1 }], shift });
    const visit = { from: evening.dueFrom, until: evening.dueUntil };
    const service = { ...delivery, kind: "service" as const, skills: ["installation"], visit };
    const whole = installer("whole", { start: "19:00", end: "23:00", days: [3] });
    const part = installer("part", { start: "21:00", end: "23:00", days: [3] });
    expect(chooseAssignee(service, [load(part), load(whole, 2)], now)).toMatchObject({ staffId: "whole" });
    expect(chooseAssignee(service, [load(part)], now)).toMatchObject({ kind: "none", reason: expect.stringMatching(/^nobody eligible is on shift between/) });
  });

  it("gives a visit only to someone without another visit then (touching visits are fine)", () => {
    const installer = (id: string) => person(id, { skills: [{ skill: "installation", level: 1 }], shift: { start: "08:00", end: "23:00", days: [3] } });
    const service = { ...delivery, kind: "service" as const, skills: ["installation"], visit: { from: evening.dueFrom, until: evening.dueUntil } };
    const busy = { ...load(installer("busy")), visits: [{ from: new Date("2026-11-25T13:00:00Z"), until: new Date("2026-11-25T15:00:00Z") }] };
    const before = { ...load(installer("before"), 2), visits: [{ from: new Date("2026-11-25T10:00:00Z"), until: evening.dueFrom }] };
    expect(chooseAssignee(service, [busy, before], now)).toMatchObject({ staffId: "before" });
    expect(chooseAssignee(service, [busy], now)).toEqual({
      kind: "none",
      reason: "everyone eligible has another visit between 2026-11-25T12:00:00.000Z and 2026-11-25T14:00:00.000Z",
    });
    // A delivery is not a visit: the same people may take it.
    expect(chooseAssignee({ ...service, visit: undefined, ...evening }, [busy], now)).toMatchObject({ staffId: "busy" });
  });
});

describe("grouping deliveries by route", () => {
  const onRoute = { ...delivery, routeGroup: "route:Jing'an" };
  const riding = (staff: Staff, activeTasks: number, deliveriesByRoute: Record<string, number>): StaffWorkload => ({ staff, activeTasks, deliveriesByRoute });

  it("gives a delivery to a rider who already holds deliveries of its route and has room, though others are less loaded", () => {
    const candidates = [riding(person("a"), 0, {}), riding(person("b"), 2, { "route:Jing'an": 2 }), riding(person("c"), 1, { "route:Pudong": 1 })];
    expect(chooseAssignee(onRoute, candidates, now)).toMatchObject({ staffId: "b" });
    expect(chooseAssignee(onRoute, [...candidates].reverse(), now)).toMatchObject({ staffId: "b" });
  });

  it("chooses among the riders on the route as usual: fewest active tasks, then fewest today, then staff id", () => {
    const candidates = [riding(person("b"), 2, { "route:Jing'an": 1 }), riding(person("c"), 1, { "route:Jing'an": 1 }), riding(person("d"), 1, { "route:Jing'an": 1 })];
    expect(chooseAssignee(onRoute, candidates, now)).toMatchObject({ staffId: "c" });
  });

  it("falls back to the normal choice when the route's riders are full, absent or nobody rides it", () => {
    const full = riding(person("b", { capacity: 2 }), 2, { "route:Jing'an": 2 });
    const away = riding(person("e", { absences: [{ from: new Date("2026-11-25T00:00:00Z"), until: new Date("2026-11-26T00:00:00Z"), reason: "leave" }] }), 1, { "route:Jing'an": 1 });
    const free = riding(person("c"), 1, {});
    const idle = riding(person("a"), 0, { "route:Pudong": 0 });
    expect(chooseAssignee(onRoute, [full, away, free, idle], now)).toMatchObject({ staffId: "a" });
    expect(chooseAssignee(delivery, [riding(person("b"), 2, { "route:Jing'an": 2 }), free], now)).toMatchObject({ staffId: "c" });
  });

  it("still offers the task to the store's pinned person first", () => {
    const candidates = [riding(person("a"), 0, {}), riding(person("b"), 1, { "route:Jing'an": 1 })];
    expect(chooseAssignee(onRoute, candidates, now, "a")).toMatchObject({ staffId: "a" });
  });
});
