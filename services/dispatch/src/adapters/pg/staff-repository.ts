import type pg from "pg";
import type { Absence, Staff, StaffWorkload } from "../../domain/staff.ts";
import { activeTaskStatuses } from "../../domain/task.ts";

interface StaffRow {
  staff_id: string;
  store_id: string;
  name: string;
  roles: string[];
  skills: Staff["skills"];
  regions: string[];
  capacity: number;
  shift_start: string;
  shift_end: string;
  shift_days: number[];
  timezone: string;
  active: boolean;
  team_id: string;
}

const columns = "staff_id, store_id, name, roles, skills, regions, capacity, shift_start, shift_end, shift_days, timezone, active, team_id";

function fromRow(row: StaffRow): Staff {
  return {
    staffId: row.staff_id,
    storeId: row.store_id,
    name: row.name,
    roles: row.roles,
    skills: row.skills,
    regions: row.regions,
    capacity: row.capacity,
    shift: { start: row.shift_start, end: row.shift_end, days: row.shift_days },
    timezone: row.timezone,
    active: row.active,
    teamId: row.team_id,
  };
}

type Db = pg.Pool | pg.ClientBase;

// Spelled out in the SQL (not a parameter) so the planner can use the partial index on active tasks.
const activeStatusList = activeTaskStatuses.map((s) => `'${s}'`).join(", ");

/** Staff in dispatch's schema, and the workload they carry (counted from the tasks: the truth). */
export const staffRepository = {
  /** Inserts or replaces staff members, in one statement however many. */
  async upsert(db: Db, staff: readonly Staff[]): Promise<void> {
    if (staff.length === 0) return;
    // Sorted, so that concurrent upserts lock rows in the same order.
    const rows = [...staff]
      .sort((a, b) => (a.staffId < b.staffId ? -1 : 1))
      .map((s) => ({
        staff_id: s.staffId,
        store_id: s.storeId,
        name: s.name,
        roles: s.roles,
        skills: s.skills,
        regions: s.regions,
        capacity: s.capacity,
        shift_start: s.shift.start,
        shift_end: s.shift.end,
        shift_days: s.shift.days,
        timezone: s.timezone,
        active: s.active,
        team_id: s.teamId ?? "",
      }));
    await db.query(
      `INSERT INTO staff (${columns})
       SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS s(
         staff_id text, store_id text, name text, roles text[], skills jsonb, regions text[], capacity integer,
         shift_start text, shift_end text, shift_days integer[], timezone text, active boolean, team_id text)
       ON CONFLICT (staff_id) DO UPDATE SET
         store_id = EXCLUDED.store_id, name = EXCLUDED.name, roles = EXCLUDED.roles, skills = EXCLUDED.skills,
         regions = EXCLUDED.regions, capacity = EXCLUDED.capacity, shift_start = EXCLUDED.shift_start,
         shift_end = EXCLUDED.shift_end, shift_days = EXCLUDED.shift_days, timezone = EXCLUDED.timezone,
         active = EXCLUDED.active, team_id = EXCLUDED.team_id, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  },

  /**
   * The store's active staff with their active tasks, their rows locked for the rest of
   * the transaction. Locking the store's staff serializes assignments within a store, so
   * two instances cannot both give a person their last free slot.
   */
  async lockWorkloadOfStore(tx: pg.ClientBase, storeId: string): Promise<StaffWorkload[]> {
    const { rows } = await tx.query<StaffRow>(
      `SELECT ${columns} FROM staff WHERE store_id = $1 AND active ORDER BY staff_id COLLATE "C" FOR UPDATE`,
      [storeId],
    );
    if (rows.length === 0) return [];
    // A separate statement on purpose: under READ COMMITTED it takes a snapshot after the
    // locks were granted, so it sees the tasks assigned by whoever held them before us.
    const staffIds = rows.map((r) => r.staff_id);
    const counts = await activeTaskCounts(tx, staffIds);
    const today = await assignedTodayCounts(tx, staffIds);
    const absences = await absencesOf(tx, staffIds);
    const visits = await visitsOf(tx, staffIds);
    const routes = await deliveriesByRouteOf(tx, staffIds);
    return rows.map((row) => ({
      staff: { ...fromRow(row), absences: absences.get(row.staff_id) ?? [] },
      activeTasks: counts.get(row.staff_id) ?? 0,
      assignedToday: today.get(row.staff_id) ?? 0,
      visits: visits.get(row.staff_id) ?? [],
      deliveriesByRoute: routes.get(row.staff_id) ?? {},
    }));
  },

  /** One staff member with their absences that have not ended, optionally locked. */
  async findById(db: Db, staffId: string, lock = false): Promise<Staff | undefined> {
    const { rows } = await db.query<StaffRow>(`SELECT ${columns} FROM staff WHERE staff_id = $1${lock ? " FOR UPDATE" : ""}`, [staffId]);
    if (!rows[0]) return undefined;
    const absences = await absencesOf(db, [staffId]);
    return { ...fromRow(rows[0]), absences: absences.get(staffId) ?? [] };
  },

  async addAbsence(db: Db, staffId: string, absence: Absence): Promise<void> {
    await db.query("INSERT INTO staff_absences (staff_id, absent_from, absent_until, reason) VALUES ($1, $2, $3, $4)", [
      staffId,
      absence.from,
      absence.until,
      absence.reason,
    ]);
  },

  async setShift(db: Db, staffId: string, shift: Staff["shift"]): Promise<void> {
    await db.query("UPDATE staff SET shift_start = $2, shift_end = $3, shift_days = $4, updated_at = now() WHERE staff_id = $1", [
      staffId,
      shift.start,
      shift.end,
      shift.days,
    ]);
  },

  /** Active people who hold unacknowledged tasks: the ones whose shift or absence may withdraw them. */
  async holdingUnacknowledgedTasks(db: Db): Promise<Staff[]> {
    const { rows } = await db.query<StaffRow>(
      `SELECT ${columns} FROM staff s
       WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.assignee_staff_id = s.staff_id AND t.status = 'assigned')`,
    );
    const absences = await absencesOf(db, rows.map((r) => r.staff_id));
    return rows.map((row) => ({ ...fromRow(row), absences: absences.get(row.staff_id) ?? [] }));
  },

  /** The store's active staff, by staff id. */
  async activeOfStore(db: Db, storeId: string): Promise<Staff[]> {
    const { rows } = await db.query<StaffRow>(`SELECT ${columns} FROM staff WHERE store_id = $1 AND active ORDER BY staff_id COLLATE "C"`, [storeId]);
    return rows.map(fromRow);
  },

  /** The store's active staff with their active tasks, unlocked (for counter rebuilds). */
  async workloadOfStore(db: Db, storeId: string): Promise<StaffWorkload[]> {
    const staff = await staffRepository.activeOfStore(db, storeId);
    const counts = await activeTaskCounts(db, staff.map((s) => s.staffId));
    return staff.map((s) => ({ staff: s, activeTasks: counts.get(s.staffId) ?? 0 }));
  },

  /** The store's active staff with their absences that have not ended (for window capacities). */
  async activeOfStoreWithAbsences(db: Db, storeId: string): Promise<Staff[]> {
    const staff = await staffRepository.activeOfStore(db, storeId);
    const absences = await absencesOf(db, staff.map((s) => s.staffId));
    return staff.map((s) => ({ ...s, absences: absences.get(s.staffId) ?? [] }));
  },

  async storesWithActiveStaff(db: Db): Promise<string[]> {
    const { rows } = await db.query<{ store_id: string }>("SELECT DISTINCT store_id FROM staff WHERE active");
    return rows.map((r) => r.store_id);
  },
};

async function assignedTodayCounts(db: Db, staffIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ staff_id: string; n: number }>(
    `SELECT staff_id, count(*)::int AS n FROM assignments
     WHERE staff_id = ANY($1::text[]) AND assigned_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
     GROUP BY staff_id`,
    [staffIds],
  );
  return new Map(rows.map((r) => [r.staff_id, r.n]));
}

async function absencesOf(db: Db, staffIds: string[]): Promise<Map<string, Absence[]>> {
  const result = new Map<string, Absence[]>();
  if (staffIds.length === 0) return result;
  const { rows } = await db.query<{ staff_id: string; absent_from: Date; absent_until: Date; reason: string }>(
    `SELECT staff_id, absent_from, absent_until, reason FROM staff_absences
     WHERE staff_id = ANY($1::text[]) AND absent_until > now() ORDER BY absent_from`,
    [staffIds],
  );
  for (const r of rows) {
    const list = result.get(r.staff_id) ?? [];
    list.push({ from: r.absent_from, until: r.absent_until, reason: r.reason });
    result.set(r.staff_id, list);
  }
  return result;
}

/** Open deliveries each person holds, per route group. */
async function deliveriesByRouteOf(db: Db, staffIds: string[]): Promise<Map<string, Record<string, number>>> {
  const result = new Map<string, Record<string, number>>();
  const { rows } = await db.query<{ staff_id: string; route_group: string; n: number }>(
    `SELECT assignee_staff_id AS staff_id, route_group, count(*)::int AS n FROM tasks
     WHERE assignee_staff_id = ANY($1::text[]) AND kind = 'delivery' AND status IN ('assigned', 'acknowledged') AND route_group <> ''
     GROUP BY assignee_staff_id, route_group`,
    [staffIds],
  );
  for (const r of rows) result.set(r.staff_id, { ...result.get(r.staff_id), [r.route_group]: r.n });
  return result;
}

/** The visits of the service tasks each person holds: the agreed appointment, else the order's booked window. */
async function visitsOf(db: Db, staffIds: string[]): Promise<Map<string, { from: Date; until: Date }[]>> {
  const result = new Map<string, { from: Date; until: Date }[]>();
  const { rows } = await db.query<{ staff_id: string; visit_from: Date | null; visit_until: Date | null }>(
    `SELECT t.assignee_staff_id AS staff_id,
       COALESCE(v.appointment_from, b.window_start) AS visit_from, COALESCE(v.appointment_until, b.window_end) AS visit_until
     FROM tasks t
     LEFT JOIN service_visits v ON v.task_id = t.task_id
     LEFT JOIN window_bookings b ON b.order_id = t.order_id AND t.origin = 'order'
     WHERE t.assignee_staff_id = ANY($1::text[]) AND t.kind = 'service' AND t.status IN (${activeStatusList})`,
    [staffIds],
  );
  for (const r of rows) {
    if (!r.visit_from || !r.visit_until) continue;
    const list = result.get(r.staff_id) ?? [];
    list.push({ from: r.visit_from, until: r.visit_until });
    result.set(r.staff_id, list);
  }
  return result;
}

async function activeTaskCounts(db: Db, staffIds: string[]): Promise<Map<string, number>> {
  if (staffIds.length === 0) return new Map();
  const { rows } = await db.query<{ staff_id: string; active: number }>(
    `SELECT assignee_staff_id AS staff_id, count(*)::int AS active FROM tasks
     WHERE assignee_staff_id = ANY($1::text[]) AND status IN (${activeStatusList})
     GROUP BY assignee_staff_id`,
    [staffIds],
  );
  return new Map(rows.map((r) => [r.staff_id, r.active]));
}
