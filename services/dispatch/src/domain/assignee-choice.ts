/**
 * Who gets a task: the rules of fair assignment (DOMAIN.md, Assignment), deterministic
 * so that every instance would make the same choice from the same facts.
 */
import { hasSkill, type StaffWorkload } from "./staff.ts";
import type { Task } from "./task.ts";
import { describeWorkTime, isAvailableFor, isOnShiftFor, overlaps, spanOf, workTimeOf, type TimedTask } from "./work-time.ts";

export type AssigneeChoice = { kind: "chosen"; staffId: string; activeTasks: number } | { kind: "none"; reason: string };

/** The skills a task needs: the ones requested, and "delivery" for every delivery. */
export function requiredSkillsOf(task: Pick<Task, "kind" | "skills">): string[] {
  const skills = new Set(task.skills.filter(Boolean));
  if (task.kind === "delivery") skills.add("delivery");
  return [...skills].sort();
}

/** A handover happens at the store's counter, so where the customer lives does not matter for it. */
function regionMatters(task: Pick<Task, "kind">): boolean {
  return task.kind !== "pickup-handover";
}

type ChoosableTask = Pick<Task, "storeId" | "kind" | "skills" | "region"> &
  TimedTask & { routeGroup?: string | undefined; excludedStaffIds?: readonly string[] };

/**
 * Eligible: same store, active, has every required skill, serves the task's region, has
 * not declined or missed this task before, on shift and not absent when the task is to be
 * done (its due window or visit ahead; now for a task due immediately), for a visit (a
 * booked window or an appointment) served whole and without another visit then, under capacity.
 * Chosen: the person the task's requester named (an after-sales case's handler), else the
 * store's pinned person, when eligible; otherwise, for a delivery, an eligible
 * rider who already holds open deliveries of its route group (deliveries grouped by route;
 * eligible means under capacity); otherwise anyone eligible. Among those: the fewest active
 * tasks, then the fewest tasks given today (a day's work is spread, nobody starves while
 * others are flooded), then the smallest staff id. When nobody is eligible, the reason
 * names the first rule that left nobody.
 */
export function chooseAssignee(task: ChoosableTask, candidates: StaffWorkload[], now: Date, preferred?: string | readonly string[]): AssigneeChoice {
  const skills = requiredSkillsOf(task);
  const excluded = new Set(task.excludedStaffIds ?? []);
  const time = workTimeOf(task, now);
  const when = describeWorkTime(time);
  const steps: [string, (c: StaffWorkload) => boolean][] = [
    [`no active staff in store ${task.storeId}`, (c) => c.staff.active && c.staff.storeId === task.storeId],
    [`nobody has the skills ${skills.join(", ") || "(none)"}`, (c) => skills.every((skill) => hasSkill(c.staff, skill))],
    [`nobody with those skills serves region ${task.region || "(none)"}`, (c) => !regionMatters(task) || c.staff.regions.includes(task.region)],
    ["everyone eligible has declined or missed this task", (c) => !excluded.has(c.staff.staffId)],
    [`nobody eligible is on shift${when}`, (c) => isOnShiftFor(c.staff, time)],
    [`everyone eligible is absent${when}`, (c) => isAvailableFor(c.staff, time)],
    [`everyone eligible has another visit${when}`, (c) => time.kind !== "visit" || !(c.visits ?? []).some((v) => overlaps(v, spanOf(time)))],
    ["everyone eligible is at capacity", (c) => c.activeTasks < c.staff.capacity],
  ];
  let eligible = candidates;
  for (const [reason, keep] of steps) {
    eligible = eligible.filter(keep);
    if (eligible.length === 0) return { kind: "none", reason };
  }
  // The people offered the task first, in order (the one its requester named, the store's pinned person): the first eligible wins.
  const pinned = (typeof preferred === "string" ? [preferred] : (preferred ?? [])).map((id) => eligible.find((c) => c.staff.staffId === id)).find(Boolean);
  const onTheRoute = task.routeGroup ? eligible.filter((c) => (c.deliveriesByRoute?.[task.routeGroup!] ?? 0) > 0) : [];
  const pool = onTheRoute.length > 0 ? onTheRoute : eligible;
  const best = pinned ?? pool.reduce((a, b) => (leastLoadedFirst(a, b) <= 0 ? a : b));
  return { kind: "chosen", staffId: best.staff.staffId, activeTasks: best.activeTasks };
}

function leastLoadedFirst(a: StaffWorkload, b: StaffWorkload): number {
  if (a.activeTasks !== b.activeTasks) return a.activeTasks - b.activeTasks;
  const today = (a.assignedToday ?? 0) - (b.assignedToday ?? 0);
  if (today !== 0) return today;
  return compareText(a.staff.staffId, b.staff.staffId);
}

/** The order tasks are dispatched in: higher priority first, then older, then by id. */
export function compareDispatchOrder(a: Pick<Task, "priority" | "createdAt" | "taskId">, b: Pick<Task, "priority" | "createdAt" | "taskId">): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const age = a.createdAt.getTime() - b.createdAt.getTime();
  if (age !== 0) return age;
  return compareText(a.taskId, b.taskId);
}

/** Code-point order, the same on every machine and locale (and as Postgres's "C" collation). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
