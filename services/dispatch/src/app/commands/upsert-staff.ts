import type pg from "pg";
import { ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { isKnownTimezone, minutesOfClockTime, type Staff } from "../../domain/staff.ts";

/**
 * Adds or replaces staff members. Their stores' queued tasks are retried at once: the
 * person who was missing may be here now. Used by seeding and by the UpsertStaff API.
 */
export async function upsertStaff(pool: pg.Pool, schema: string, staff: readonly Staff[]): Promise<void> {
  const errors = staff.flatMap((s, i) => staffErrors(s, `staff[${i}]`));
  if (errors.length > 0) throw new ValidationError(errors, undefined, "dispatch.invalid-staff");
  if (staff.length === 0) return;
  await withTransaction(pool, async (tx) => {
    await staffRepository.upsert(tx, staff);
    const retried = await taskRepository.retryQueuedOfStores(tx, [...new Set(staff.map((s) => s.storeId))]);
    if (retried > 0) await signalPendingTasks(tx, schema);
  });
}

export function shiftErrors(shift: Staff["shift"], at: string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field: `${at}.${field}`, message });
  const start = minutesOfClockTime(shift.start);
  const end = minutesOfClockTime(shift.end);
  if (start === undefined || start === 24 * 60) add("start", "must be a time from 00:00 to 23:59");
  if (end === undefined) add("end", "must be a time from 00:00 to 24:00");
  if (start !== undefined && start === end) add("end", "must differ from the start");
  if (shift.days.length === 0) add("days", "must name at least one day");
  if (shift.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) add("days", "must be ISO weekdays, 1 (Monday) to 7");
  return errors;
}

function staffErrors(s: Staff, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field: `${at}.${field}`, message });
  if (!s.staffId.trim()) add("staffId", "is required");
  if (!s.storeId.trim()) add("storeId", "is required");
  if (!Number.isInteger(s.capacity) || s.capacity < 0) add("capacity", "must be a whole number, 0 or more");
  errors.push(...shiftErrors(s.shift, `${at}.shift`));
  if (!s.name.trim()) add("name", "is required");
  if (!isKnownTimezone(s.timezone)) add("timezone", "is not a known time zone");
  s.skills.forEach((skill, j) => {
    if (!skill.skill.trim()) add(`skills[${j}].skill`, "is required");
    if (!Number.isInteger(skill.level)) add(`skills[${j}].level`, "must be a whole number");
  });
  return errors;
}
