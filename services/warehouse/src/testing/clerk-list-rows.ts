import { randomUUID } from "node:crypto";
import type pg from "pg";

/**
 * Rows of the store clerks' lists planted straight in the warehouse's tables, for the paging
 * specs (the warehouse's and intake's): each at the time its spec names, so that two can tie on
 * the list's sort key, and at a store of the spec's own, so that no other spec's rows join it.
 */
const anySku = () => `SKU-${randomUUID().slice(0, 8)}`;

/** A return still expected since `expectedSince`; answers its case id. */
export async function plantExpectedReturn(pool: pg.Pool, storeId: string, expectedSince: Date): Promise<string> {
  const caseId = `case-${randomUUID()}`;
  await pool.query("INSERT INTO expected_returns (case_id, order_id, store_id, kind, lines, expected_since) VALUES ($1, $2, $3, 'return', $4, $5)", [
    caseId,
    `o-${randomUUID()}`,
    storeId,
    JSON.stringify([{ sku: anySku(), expected: 1, restocked: 0, writtenOff: 0 }]),
    expectedSince,
  ]);
  return caseId;
}

/** A replacement accepted at `since`, awaiting stock of a SKU nobody holds; answers its case id. */
export async function plantReplacement(pool: pg.Pool, storeId: string, since: Date): Promise<string> {
  const caseId = `case-${randomUUID()}`;
  await pool.query("INSERT INTO replacements (case_id, order_id, store_id, lines, status, since) VALUES ($1, $2, $3, $4, 'awaiting-stock', $5)", [
    caseId,
    `o-${randomUUID()}`,
    storeId,
    JSON.stringify([{ sku: anySku(), quantity: 1 }]),
    since,
  ]);
  return caseId;
}

/** A reservation of one line, ready to pick since `since` at `priority`; answers its id. */
export async function plantReadyToPick(pool: pg.Pool, storeId: string, priority: number, since: Date): Promise<string> {
  const reservationId = `res-${randomUUID()}`;
  await pool.query(
    "INSERT INTO reservations (reservation_id, order_id, store_id, status, priority, fulfillment_method, updated_at) VALUES ($1, $2, $3, 'ready-to-pick', $4, 'ship', $5)",
    [reservationId, `o-${randomUUID()}`, storeId, priority, since],
  );
  await pool.query("INSERT INTO reservation_lines (reservation_id, sku, location, quantity) VALUES ($1, $2, 'A-01', 1)", [reservationId, anySku()]);
  return reservationId;
}

/** A reservation's pick step late since `dueAt`, escalated (no timer is left to move it); answers the reservation id. */
export async function plantOverdueStep(pool: pg.Pool, storeId: string, dueAt: Date): Promise<string> {
  const reservationId = await plantReadyToPick(pool, storeId, 0, dueAt);
  await pool.query(
    `INSERT INTO shipment_step_deadlines (reservation_id, step, order_id, store_id, due_at, level, overdue_since, escalated_at)
     SELECT reservation_id, 'pick', order_id, store_id, $2, 2, $2, $2 FROM reservations WHERE reservation_id = $1`,
    [reservationId, dueAt],
  );
  return reservationId;
}

/** A replacement's ship step late since `dueAt`, escalated; answers the case id. */
export async function plantOverdueReplacement(pool: pg.Pool, storeId: string, dueAt: Date): Promise<string> {
  const caseId = await plantReplacement(pool, storeId, new Date(dueAt.getTime() - 3_600_000));
  await pool.query(
    `INSERT INTO replacement_ship_deadlines (case_id, step, order_id, store_id, started_at, due_at, level, overdue_since, escalated_at)
     SELECT case_id, 'ship', order_id, store_id, since, $2, 2, $2, $2 FROM replacements WHERE case_id = $1`,
    [caseId, dueAt],
  );
  return caseId;
}
