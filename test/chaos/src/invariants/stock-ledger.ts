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
 * Per reservation and line (an exchange's replacement moves stock under its case instead,
 * replacement-ledger.ts): reserved once, then released once or shipped once, never
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
    FROM warehouse.stock_movements WHERE kind IN ('reserved', 'released', 'shipped') AND case_id IS NULL
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

/**
 * Returned goods (ADR 021): every 'returned' movement is the resellable part of one line of a
 * return receipt, booked once; every unit written off is in the write-off book under its
 * receipt with its cause; and what a case's receipts restocked and wrote off is what its
 * return says came back, never more than the case named. So returned goods are accounted for
 * twice over: those back on hand by the ledger's balance, those written off by their book.
 */
export async function returnedGoods(db: pg.Pool): Promise<LedgerFindings> {
  const { rows: tables } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'warehouse' AND table_name IN ('expected_returns', 'return_receipts', 'stock_write_offs')");
  if (tables[0]!.n < 3) return { failures: [], figure: "no returns kept yet" };
  const failures: string[] = [];
  type InspectedLine = { sku: string; resellable: number; location: string; writeOffs: { quantity: number }[] };
  const receipts = await db.query<{ case_id: string; receipt_id: string; store_id: string; lines: InspectedLine[] }>("SELECT case_id, receipt_id, store_id, lines FROM warehouse.return_receipts");
  const movements = await db.query<{ store_id: string; sku: string; location: string; quantity: number; case_id: string | null; receipt_id: string | null }>(
    "SELECT store_id, sku, location, quantity, case_id, receipt_id FROM warehouse.stock_movements WHERE kind = 'returned'",
  );
  const writeOffs = await db.query<{ case_id: string; receipt_id: string; sku: string; quantity: number; cause: string }>("SELECT case_id, receipt_id, sku, quantity, cause FROM warehouse.stock_write_offs");
  const returns = await db.query<{ case_id: string; lines: { sku: string; expected: number; restocked: number; writtenOff: number }[] }>("SELECT case_id, lines FROM warehouse.expected_returns");

  // What each receipt says went back on hand (by store, SKU and shelf) and was written off (by SKU).
  const restockedBy = new Map<string, { quantity: number; moved: number }>();
  const writtenOffBy = new Map<string, { quantity: number; booked: number }>();
  const perCase = new Map<string, Map<string, { restocked: number; writtenOff: number }>>();
  let restocked = 0;
  let writtenOff = 0;
  for (const r of receipts.rows) {
    const ofCase = perCase.get(r.case_id) ?? new Map<string, { restocked: number; writtenOff: number }>();
    perCase.set(r.case_id, ofCase);
    for (const line of r.lines) {
      const off = line.writeOffs.reduce((sum, w) => sum + w.quantity, 0);
      if (line.resellable > 0) restockedBy.set(`${r.case_id} ${r.receipt_id} ${r.store_id}/${line.sku}@${line.location}`, { quantity: line.resellable, moved: 0 });
      if (off > 0) writtenOffBy.set(`${r.case_id} ${r.receipt_id} ${line.sku}`, { quantity: off, booked: 0 });
      const sum = ofCase.get(line.sku) ?? { restocked: 0, writtenOff: 0 };
      ofCase.set(line.sku, { restocked: sum.restocked + line.resellable, writtenOff: sum.writtenOff + off });
      restocked += line.resellable;
      writtenOff += off;
    }
  }
  for (const m of movements.rows) {
    const where = `${m.store_id}/${m.sku}@${m.location}`;
    const line = restockedBy.get(`${m.case_id} ${m.receipt_id} ${where}`);
    if (!line) failures.push(`${where}: ${m.quantity} units returned under case ${m.case_id} receipt ${m.receipt_id}, which restocked none there`);
    else line.moved += m.quantity;
  }
  for (const [key, line] of restockedBy) if (line.moved !== line.quantity) failures.push(`return receipt ${key}: ${line.quantity} restocked, ${line.moved} on the ledger`);
  for (const w of writeOffs.rows) {
    const line = writtenOffBy.get(`${w.case_id} ${w.receipt_id} ${w.sku}`);
    if (!line) failures.push(`case ${w.case_id} receipt ${w.receipt_id}: ${w.quantity} of ${w.sku} written off ("${w.cause}"), which the receipt did not write off`);
    else line.booked += w.quantity;
  }
  for (const [key, line] of writtenOffBy) if (line.booked !== line.quantity) failures.push(`return receipt ${key}: ${line.quantity} written off, ${line.booked} in the write-off book`);
  for (const r of returns.rows) {
    const received = perCase.get(r.case_id) ?? new Map<string, { restocked: number; writtenOff: number }>();
    for (const line of r.lines) {
      const got = received.get(line.sku) ?? { restocked: 0, writtenOff: 0 };
      received.delete(line.sku);
      if (got.restocked !== line.restocked || got.writtenOff !== line.writtenOff) {
        failures.push(`case ${r.case_id} ${line.sku}: the return says ${line.restocked} restocked and ${line.writtenOff} written off, its receipts ${got.restocked} and ${got.writtenOff}`);
      }
      if (got.restocked + got.writtenOff > line.expected) failures.push(`case ${r.case_id} ${line.sku}: ${got.restocked + got.writtenOff} came back of ${line.expected} expected`);
    }
    for (const sku of received.keys()) failures.push(`case ${r.case_id}: goods of ${sku} received, which the case never named`);
    perCase.delete(r.case_id);
  }
  for (const caseId of perCase.keys()) failures.push(`return receipts booked for case ${caseId}, which nobody expected back`);
  return {
    failures,
    figure: `${n(returns.rows.length)} returns expected, ${n(receipts.rows.length)} return receipts: ${n(restocked)} units back on hand, ${n(writtenOff)} written off, each once`,
  };
}
