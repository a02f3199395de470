import type pg from "pg";
import { n } from "./context.ts";
import type { LedgerFindings } from "./stock-ledger.ts";

/**
 * Exchanges' replacements (ADR 030) on the ledger: their units move like an order's
 * reservation, under the case instead of a reservation (case_id set, reservation_id empty).
 * Per case and stock line: reserved once, then released once or shipped once, never more
 * than was reserved; and what the ledger still holds or shipped for the case is what the
 * replacement's status says — its reserved units while reserved, all of them once shipped,
 * nothing while awaiting stock or once called off. A replacement the desk moved to another store
 * (ADR 030, third addendum) moves stock at that store only: every case's units are reserved,
 * released and shipped at the store it ships from, never at two stores.
 */
export async function replacementMovements(db: pg.Pool): Promise<LedgerFindings> {
  const { rows: tables } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'warehouse' AND table_name = 'replacements'");
  if (tables[0]!.n === 0) return { failures: [], figure: "no replacements kept yet" };
  const lines = await db.query<{ case_id: string; store_id: string; line: string; reservations: number; reserved: number; releases: number; released: number; shipments: number; shipped: number }>(`
    SELECT case_id, store_id, store_id || '/' || sku || '@' || location AS line,
           count(*) FILTER (WHERE kind = 'reserved')::int                   AS reservations,
           coalesce(sum(quantity) FILTER (WHERE kind = 'reserved'), 0)::int AS reserved,
           count(*) FILTER (WHERE kind = 'released')::int                   AS releases,
           coalesce(sum(quantity) FILTER (WHERE kind = 'released'), 0)::int AS released,
           count(*) FILTER (WHERE kind = 'shipped')::int                    AS shipments,
           coalesce(sum(quantity) FILTER (WHERE kind = 'shipped'), 0)::int  AS shipped
    FROM warehouse.stock_movements WHERE kind IN ('reserved', 'released', 'shipped') AND case_id IS NOT NULL
    GROUP BY case_id, store_id, sku, location`);
  const failures: string[] = [];
  const byCase = new Map<string, { held: number; shipped: number }>();
  const storesOf = new Map<string, Set<string>>();
  for (const r of lines.rows) {
    const where = `replacement of case ${r.case_id} ${r.line}`;
    if (r.reservations > 1) failures.push(`${where} reserved ${r.reservations} times`);
    if (r.releases > 1) failures.push(`${where} released ${r.releases} times`);
    if (r.shipments > 1) failures.push(`${where} shipped ${r.shipments} times`);
    if (r.releases > 0 && r.shipments > 0) failures.push(`${where} both released and shipped`);
    if (r.released + r.shipped > r.reserved) failures.push(`${where}: ${r.released} released + ${r.shipped} shipped of ${r.reserved} reserved`);
    storesOf.set(r.case_id, (storesOf.get(r.case_id) ?? new Set()).add(r.store_id));
    const sum = byCase.get(r.case_id) ?? { held: 0, shipped: 0 };
    byCase.set(r.case_id, { held: sum.held + r.reserved - r.released - r.shipped, shipped: sum.shipped + r.shipped });
  }
  const replacements = await db.query<{ case_id: string; status: string; units: number; store_id: string; moved: boolean }>(
    "SELECT case_id, status, store_id, moved_at IS NOT NULL AS moved, coalesce((SELECT sum((l->>'quantity')::int) FROM jsonb_array_elements(reserved) l), 0)::int AS units FROM warehouse.replacements",
  );
  let shippedCases = 0;
  let moved = 0;
  for (const r of replacements.rows) {
    const stores = [...(storesOf.get(r.case_id) ?? [])];
    if (stores.some((store) => store !== r.store_id)) failures.push(`replacement of case ${r.case_id} ships from ${r.store_id} but the ledger moves its stock at ${stores.sort().join(", ")}`);
    if (r.moved) moved++;
    const ledger = byCase.get(r.case_id) ?? { held: 0, shipped: 0 };
    byCase.delete(r.case_id);
    if (r.status === "shipped") shippedCases++;
    const expected = r.status === "reserved" ? { held: r.units, shipped: 0 } : r.status === "shipped" ? { held: 0, shipped: r.units } : { held: 0, shipped: 0 };
    if (ledger.held !== expected.held || ledger.shipped !== expected.shipped) {
      failures.push(`replacement of case ${r.case_id} is ${r.status} (${r.units} units) but the ledger holds ${ledger.held} and shipped ${ledger.shipped} for it`);
    }
  }
  for (const caseId of byCase.keys()) failures.push(`the ledger moves stock for a replacement of case ${caseId}, which the warehouse does not have`);
  return { failures, figure: `${n(replacements.rows.length)} exchange replacements (${n(shippedCases)} shipped, ${n(moved)} moved to another store) each reserved, released or shipped once, at the store it ships from` };
}
