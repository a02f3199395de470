import type pg from "pg";
import { n } from "./context.ts";

/**
 * What the warehouse's ledger must show beyond each row's balance. The balance alone
 * cannot fail: every statement that moves stock writes its movement with it
 * (adapters/pg/stock-repository.ts), so a step taken twice balances as well as one taken
 * once. These checks judge the movements against what caused them — the reservation a
 * unit was promised to, the goods receipt it came in with — which are other rows.
 */
export interface LedgerFindings {
  failures: string[];
  figure: string;
}

const holding = new Set(["reserved", "ready-to-pick", "picked", "packed"]);
const leftTheStore = new Set(["shipped", "handed-over"]);

/**
 * Per reservation and line: reserved once, then released once or shipped once, never
 * more units than were reserved; and what the ledger still holds for the reservation is
 * what its status says (its lines while it holds stock, nothing once released or gone).
 */
export async function reservationMovements(db: pg.Pool): Promise<LedgerFindings> {
  const lines = await db.query<{
    reservation_id: string | null;
    line: string;
    reservations: number;
    reserved: number;
    releases: number;
    released: number;
    shipments: number;
    shipped: number;
  }>(`
    SELECT reservation_id, store_id || '/' || sku || '@' || location AS line,
           count(*) FILTER (WHERE kind = 'reserved')::int                AS reservations,
           coalesce(sum(quantity) FILTER (WHERE kind = 'reserved'), 0)::int AS reserved,
           count(*) FILTER (WHERE kind = 'released')::int                AS releases,
           coalesce(sum(quantity) FILTER (WHERE kind = 'released'), 0)::int AS released,
           count(*) FILTER (WHERE kind = 'shipped')::int                 AS shipments,
           coalesce(sum(quantity) FILTER (WHERE kind = 'shipped'), 0)::int  AS shipped
    FROM warehouse.stock_movements WHERE kind IN ('reserved', 'released', 'shipped')
    GROUP BY reservation_id, store_id, sku, location`);
  const failures: string[] = [];
  const heldByReservation = new Map<string, { held: number; shipped: number }>();
  for (const r of lines.rows) {
    if (r.reservation_id === null) {
      failures.push(`${r.line}: units reserved, released or shipped for no reservation`);
      continue;
    }
    const where = `reservation ${r.reservation_id} ${r.line}`;
    if (r.reservations > 1) failures.push(`${where} reserved ${r.reservations} times`);
    if (r.releases > 1) failures.push(`${where} released ${r.releases} times`);
    if (r.shipments > 1) failures.push(`${where} shipped ${r.shipments} times`);
    if (r.releases > 0 && r.shipments > 0) failures.push(`${where} both released and shipped`);
    if (r.released + r.shipped > r.reserved) failures.push(`${where}: ${r.released} released + ${r.shipped} shipped of ${r.reserved} reserved`);
    const sum = heldByReservation.get(r.reservation_id) ?? { held: 0, shipped: 0 };
    heldByReservation.set(r.reservation_id, { held: sum.held + r.reserved - r.released - r.shipped, shipped: sum.shipped + r.shipped });
  }
  const reservations = await db.query<{ reservation_id: string; status: string; units: number }>(`
    SELECT r.reservation_id, r.status, coalesce(sum(l.quantity), 0)::int AS units
    FROM warehouse.reservations r LEFT JOIN warehouse.reservation_lines l USING (reservation_id)
    GROUP BY r.reservation_id, r.status`);
  for (const r of reservations.rows) {
    const ledger = heldByReservation.get(r.reservation_id) ?? { held: 0, shipped: 0 };
    heldByReservation.delete(r.reservation_id);
    const expected = holding.has(r.status) ? { held: r.units, shipped: 0 } : leftTheStore.has(r.status) ? { held: 0, shipped: r.units } : { held: 0, shipped: 0 };
    if (ledger.held !== expected.held || ledger.shipped !== expected.shipped) {
      failures.push(`reservation ${r.reservation_id} is ${r.status} (${r.units} units) but the ledger holds ${ledger.held} and shipped ${ledger.shipped} for it`);
    }
  }
  for (const id of heldByReservation.keys()) failures.push(`the ledger moves stock for reservation ${id}, which the warehouse does not have`);
  return { failures, figure: `${n(reservations.rows.length)} reservations each reserved, released or shipped once` };
}


/**
 * Every 'received' movement is a goods receipt booked once under its id (stock_receipts)
 * for what the receipt says, and every receipt has its movement — or it is a row's opening
 * stock. Opening stock (record-opening-stock.ts, the demo chain) is booked by inserting the
 * row with its 'received' movement in one statement, so it is the row's first movement
 * and names no receipt; goods received at a new location insert an empty row first.
 */
export async function receivedGoods(db: pg.Pool): Promise<LedgerFindings> {
  const movements = await db.query<{ store_id: string; sku: string; location: string; quantity: number; reason: string; receipt_id: string | null; first_of_row: boolean }>(`
    SELECT store_id, sku, location, quantity, reason, receipt_id, first_of_row FROM (
      SELECT *, movement_id = min(movement_id) OVER (PARTITION BY store_id, sku, location) AS first_of_row FROM warehouse.stock_movements
    ) m WHERE kind = 'received'`);
  const receipts = await db.query<{ store_id: string; receipt_id: string; sku: string; location: string; quantity: number }>(
    "SELECT store_id, receipt_id, sku, location, quantity FROM warehouse.stock_receipts",
  );
  const failures: string[] = [];
  const bookings = new Map(receipts.rows.map((r) => [`${r.store_id} ${r.receipt_id}`, { receipt: r, times: 0 }]));
  let opening = 0;
  let received = 0;
  for (const m of movements.rows) {
    const where = `${m.store_id}/${m.sku}@${m.location}`;
    const receiptId = m.receipt_id;
    if (receiptId === null) {
      if (m.first_of_row) opening += m.quantity;
      else failures.push(`${where}: ${m.quantity} units received without a receipt ("${m.reason}")`);
      continue;
    }
    const booking = bookings.get(`${m.store_id} ${receiptId}`);
    if (!booking) {
      failures.push(`${where}: ${m.quantity} units received under receipt ${receiptId}, which was never recorded`);
      continue;
    }
    booking.times++;
    received += m.quantity;
    const { receipt } = booking;
    if (receipt.sku !== m.sku || receipt.location !== m.location || receipt.quantity !== m.quantity) {
      failures.push(`${where}: ${m.quantity} units received under receipt ${receiptId}, which is for ${receipt.quantity} × ${receipt.sku}@${receipt.location}`);
    }
  }
  for (const [key, { times }] of bookings) if (times !== 1) failures.push(`receipt ${key} booked ${times} times`);
  return { failures, figure: `${n(received)} units in by ${n(receipts.rows.length)} receipts, each booked once, besides ${n(opening)} of opening stock` };
}
