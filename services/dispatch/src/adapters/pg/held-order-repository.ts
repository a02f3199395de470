import type pg from "pg";
import type { Task } from "../../domain/task.ts";
import { activeStatusList, columns, fromRow, type TaskRow } from "./task-rows.ts";

/**
 * The orders held for force majeure now (ADR 027, addendum; migration 015), and the work a hold
 * pauses: the order's own open tasks and its after-sales visits (ADR 025's twenty-sixth-session
 * addendum) — a closed road stops the technician as it stops the rider.
 */
export const heldOrderRepository = {
  /** The orders are held since then; one held already keeps its first time. */
  async recordHeld(tx: pg.ClientBase, holds: readonly { orderId: string; at: Date }[]): Promise<void> {
    if (holds.length === 0) return;
    await tx.query(
      `INSERT INTO held_orders (order_id, held_since) SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT (order_id) DO NOTHING`,
      [holds.map((h) => h.orderId), holds.map((h) => h.at)],
    );
  },

  async recordResumed(tx: pg.ClientBase, orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await tx.query("DELETE FROM held_orders WHERE order_id = ANY($1::text[])", [orderIds]);
  },

  /** Whether the order is held now. Read after the task's row lock, which the pause also takes, so a hold and a reopening cannot miss each other. */
  async isHeld(tx: pg.ClientBase, orderId: string): Promise<boolean> {
    const { rowCount } = await tx.query("SELECT 1 FROM held_orders WHERE order_id = $1", [orderId]);
    return (rowCount ?? 0) > 0;
  },

  /**
   * The work a hold of the orders pauses or resumes, locked in task id order: their open tasks
   * of either origin. Every after-sales visit of the orders is locked, done ones too, so a visit
   * reopened as the hold is recorded waits for the pause (and then sees the hold) or is paused by it.
   */
  async lockWorkOf(tx: pg.ClientBase, orderIds: readonly string[]): Promise<Task[]> {
    const open = `status IN (${activeStatusList}, 'pending')`;
    const { rows } = await tx.query<TaskRow & { open: boolean }>(
      `SELECT ${columns}, ${open} AS open FROM tasks
       WHERE order_id = ANY($1::text[]) AND (${open} OR origin = 'after-sales')
       ORDER BY task_id COLLATE "C" FOR UPDATE`,
      [orderIds],
    );
    return rows.filter((row) => row.open).map(fromRow);
  },
};
