import type pg from "pg";
import { systemActor, type dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { signalPendingTasks } from "../../adapters/pg/task-signals.ts";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { storeSettingsRepository, type StoreDispatchSettings } from "../../adapters/pg/store-settings-repository.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { Shift, Staff } from "../../domain/staff.ts";
import { unavailabilityFor, workTimeOf } from "../../domain/work-time.ts";
import { releaseAssignment } from "./release-assignment.ts";
import { shiftErrors, upsertStaff } from "./upsert-staff.ts";

export interface StaffDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  schema: string;
  clock: () => Date;
}

export function staffFromRequest(m: dispatchApi.StaffMember): Staff {
  return {
    staffId: m.staffId,
    storeId: m.storeId,
    name: m.name,
    roles: m.roles,
    skills: m.skills.map((s) => ({ skill: s.skill, level: s.level })),
    regions: m.regions,
    capacity: m.capacity,
    shift: shiftFromRequest(m.shift),
    timezone: m.timezone,
    active: m.active,
    teamId: m.teamId,
  };
}

const shiftFromRequest = (shift: dispatchApi.Shift | undefined): Shift => ({ start: shift?.start ?? "", end: shift?.end ?? "", days: shift?.days ?? [] });

export function staffView(s: Staff): dispatchApi.StaffMember {
  return {
    staffId: s.staffId,
    storeId: s.storeId,
    name: s.name,
    roles: s.roles,
    skills: s.skills,
    regions: s.regions,
    capacity: s.capacity,
    shift: s.shift,
    timezone: s.timezone,
    active: s.active,
    teamId: s.teamId ?? "",
    absences: (s.absences ?? []).map((a) => ({ from: a.from.toISOString(), until: a.until.toISOString(), reason: a.reason })),
  };
}

/** Adds or replaces a staff member (takes effect on the next assignment); a person made inactive gives back what they have not acknowledged. */
export async function upsertStaffMember(deps: StaffDeps, request: dispatchApi.StaffMember): Promise<dispatchApi.StaffMember> {
  const staff = staffFromRequest(request);
  await upsertStaff(deps.pool, deps.schema, [staff]);
  if (!staff.active) await withdrawIfUnavailable(deps, staff.staffId);
  return staffView(await findStaff(deps.pool, staff.staffId));
}

/** Records an absence; the person's unacknowledged tasks it keeps them from (now or at the tasks' times) are reassigned. */
export async function markAbsent(deps: StaffDeps, request: dispatchApi.MarkAbsentRequest): Promise<dispatchApi.StaffMember> {
  const errors: FieldError[] = [];
  const from = timeOf("from", request.from, errors);
  const until = timeOf("until", request.until, errors);
  if (from && until && until <= from) errors.push({ field: "until", message: "must be after from" });
  if (errors.length > 0 || !from || !until) throw new ValidationError(errors, undefined, "dispatch.invalid-absence");
  await findStaff(deps.pool, request.staffId);
  await withTransaction(deps.pool, async (tx) => {
    await staffRepository.addAbsence(tx, request.staffId, { from, until, reason: request.reason });
  });
  await withdrawIfUnavailable(deps, request.staffId);
  return staffView(await findStaff(deps.pool, request.staffId));
}

/** Replaces the weekly shift; the person's unacknowledged tasks it leaves them off shift for are reassigned. */
export async function setShift(deps: StaffDeps, request: dispatchApi.SetShiftRequest): Promise<dispatchApi.StaffMember> {
  const shift = shiftFromRequest(request.shift);
  const errors = shiftErrors(shift, "shift");
  if (errors.length > 0) throw new ValidationError(errors, undefined, "dispatch.invalid-shift");
  const staff = await findStaff(deps.pool, request.staffId);
  await withTransaction(deps.pool, async (tx) => {
    await staffRepository.setShift(tx, staff.staffId, shift);
    // Someone may be on shift now who was not: the store's queued tasks get another chance.
    if ((await taskRepository.retryQueuedOfStores(tx, [staff.storeId])) > 0) await signalPendingTasks(tx, deps.schema);
  });
  await withdrawIfUnavailable(deps, staff.staffId);
  return staffView(await findStaff(deps.pool, staff.staffId));
}

export async function setStoreSettings(deps: StaffDeps, request: dispatchApi.StoreSettings): Promise<dispatchApi.StoreSettings> {
  const errors: FieldError[] = [];
  if (!request.storeId.trim()) errors.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(request.acknowledgeWithinSeconds) || request.acknowledgeWithinSeconds < 0) {
    errors.push({ field: "acknowledgeWithinSeconds", message: "must be a whole number of seconds, 0 for the default" });
  }
  if (errors.length > 0) throw new ValidationError(errors, undefined, "dispatch.invalid-store-settings");
  if (request.preferredStaffId) {
    const preferred = await findStaff(deps.pool, request.preferredStaffId);
    if (preferred.storeId !== request.storeId) {
      throw new ValidationError([{ field: "preferredStaffId", message: `works in store ${preferred.storeId}, not ${request.storeId}` }]);
    }
  }
  const settings: StoreDispatchSettings = {
    storeId: request.storeId,
    ...(request.acknowledgeWithinSeconds > 0 ? { acknowledgeWithinSeconds: request.acknowledgeWithinSeconds } : {}),
    ...(request.preferredStaffId ? { preferredStaffId: request.preferredStaffId } : {}),
  };
  await storeSettingsRepository.upsert(deps.pool, settings);
  return request;
}

/**
 * The person's unacknowledged tasks that they can no longer do when those are to be done
 * (inactive; absent or off shift at the task's time: now for a task due immediately) go
 * back to the queue without them; each withdrawal is recorded and announced with why.
 * Acknowledged work stays theirs: a dispatcher moves it by hand. Returns how many.
 */
export async function withdrawIfUnavailable(deps: StaffDeps, staffId: string): Promise<number> {
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const staff = await staffRepository.findById(tx, staffId, true);
      if (!staff) return 0;
      const now = deps.clock();
      let withdrawn = 0;
      for (const task of await taskRepository.lockUnacknowledgedOf(tx, staffId)) {
        const reason = unavailabilityFor(staff, workTimeOf(task, now));
        if (!reason) continue;
        const after = await releaseAssignment(tx, deps, task, { type: "ReleaseAssignment", cause: "withdrawn", reason, now }, systemActor("dispatch"));
        if (after.status === "pending") withdrawn++;
      }
      return withdrawn;
    }),
  );
}

/**
 * People whose shift ended, whose absence began or who were made inactive while holding
 * unacknowledged tasks they can no longer do at the tasks' times give those back (run
 * periodically by every instance; the row locks make concurrent sweeps harmless). Only
 * the people concerned are locked. Returns how many tasks were withdrawn.
 */
export async function sweepUnavailableAssignees(deps: StaffDeps): Promise<number> {
  const now = deps.clock();
  const holders = new Map((await staffRepository.holdingUnacknowledgedTasks(deps.pool)).map((s) => [s.staffId, s]));
  const concerned = new Set<string>();
  for (const task of await taskRepository.unacknowledged(deps.pool)) {
    const staff = task.assigneeStaffId ? holders.get(task.assigneeStaffId) : undefined;
    if (staff && unavailabilityFor(staff, workTimeOf(task, now))) concerned.add(staff.staffId);
  }
  let withdrawn = 0;
  for (const staffId of concerned) withdrawn += await withdrawIfUnavailable(deps, staffId);
  return withdrawn;
}

async function findStaff(pool: pg.Pool, staffId: string): Promise<Staff> {
  if (!staffId) throw new ValidationError([{ field: "staffId", message: "is required" }]);
  const staff = await staffRepository.findById(pool, staffId);
  if (!staff) throw new NotFoundError("dispatch.staff-not-found", `no staff member ${staffId}`);
  return staff;
}

function timeOf(field: string, value: string, errors: FieldError[]): Date | undefined {
  const time = new Date(value);
  if (!value || Number.isNaN(time.getTime())) {
    errors.push({ field, message: "must be an ISO 8601 time" });
    return undefined;
  }
  return time;
}
