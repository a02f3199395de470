import { randomUUID } from "node:crypto";
import type pg from "pg";

/**
 * A done task planted straight in dispatch's tables, for the worklists' paging specs (dispatch's
 * and intake's): created at `createdAt`, held by `staffId`, with an appointment at
 * `appointmentAt` when given, so that tasks can tie on a list's sort key. Done, no poller or
 * timer touches it. Answers its id.
 */
export async function plantDoneTask(pool: pg.Pool, storeId: string, createdAt: Date, staffId: string, appointmentAt?: Date): Promise<string> {
  const taskId = `task-${randomUUID()}`;
  await pool.query(
    `INSERT INTO tasks (task_id, order_id, store_id, kind, region, priority, status, assignee_staff_id, correlation_id, causation_id, created_at, closed_at)
     VALUES ($1, $2, $3, $4, 'Jing''an', 0, 'done', $5, '', '', $6, $6)`,
    [taskId, randomUUID(), storeId, appointmentAt ? "service" : "delivery", staffId, createdAt],
  );
  if (appointmentAt) {
    await pool.query("INSERT INTO service_visits (task_id, appointment_from, appointment_until, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $2)", [
      taskId,
      appointmentAt,
      new Date(appointmentAt.getTime() + 30 * 60_000),
      staffId,
    ]);
  }
  return taskId;
}
