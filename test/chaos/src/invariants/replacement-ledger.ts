import type pg from "pg";
import { n } from "./context.ts";
import type { LedgerFindings } from "./stock-ledger.ts";

/**
 * Exchanges' replacements (ADR 030) on the ledger: their units move like an order's
 * reservation, under the case instead of a reservation (case_id set, reservation_id empty).
 * Per case and stock line: reserved once, then released once or shipped once, never more
 * than was reserved; and what the ledger still holds or shipped for the case is what the
 * replacement's status says — its reserved units while reserved, all of them once shipped,
 * nothing while awaiting stock or once called off.
 */
export async function replacementMovements(db: pg.Pool): Promise<LedgerFindings> {
  const { rows: tables } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'warehouse' AND table_name = 'replacements'");
  if (tables[0]!.n === 0) return { failures: [], figure: "no replacements kept yet" };
  const lines = await db.query<{ case_id: string; line: string; reservations: number; reserved: number; releases: number; released: number; shipments: number; shipped: number }>(`
    SELECT case_id, store_id || '/' || sku || '@' || location AS line,
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
  for (const r of lines.rows) {
    const where = `replacement of case ${r.case_id} ${r.line}`;
    if (r.reservations > 1) failures.push(`${where} reserved ${r.reservations} times`);
    if (r.releases > 1) failures.push(`${where} released ${r.releases} times`);
    if (r.shipments > 1) failures.push(`${where} shipped ${r.shipments} times`);
    if (r.releases > 0 && r.shipments > 0) failures.push(`${where} both released and shipped`);
    if (r.released + r.shipped > r.reserved) failures.push(`${where}: ${r.released} released + ${r.shipped} shipped of ${r.reserved} reserved`);
    const sum = byCase.get(r.case_id) ?? { held: 0, shipped: 0 };
    byCase.set(r.case_id, { held: sum.held + r.reserved - r.released - r.shipped, shipped: sum.shipped + r.shipped });
  }
  const replacements = await db.query<{ case_id: string; status: string; units: number }>(
    "SELECT case_id, status, coalesce((SELECT sum((l->>'quantity')::int) FROM jsonb_array_elements(reserved) l), 0)::int AS units FROM warehouse.replacements",
  );
  let shippedCases = 0;
  for (const r of replacements.rows) {
    const ledger = byCase.get(r.case_id) ?? { held: 0, shipped: 0 };
    byCase.delete(r.case_id);
    if (r.status === "shipped") shippedCases++;
    const expected = r.status === "reserved" ? { held: r.units, shipped: 0 } : r.status === "shipped" ? { held: 0, shipped: r.units } : { held: 0, shipped: 0 };
    if (ledger.held !== expected.held || ledger.shipped !== expected.shipped) {
      failures.push(`replacement of case ${r.case_id} is ${r.status} (${r.units} units) but the ledger holds ${ledger.held} and shipped ${ledger.shipped} for it`);
    }
  }
  for (const caseId of byCase.keys()) failures.push(`the ledger moves stock for a replacement of case ${caseId}, which the warehouse does not have`);
  return { failures, figure: `${n(replacements.rows.length)} exchange replacements (${n(shippedCases)} shipped) each reserved, released or shipped once` };
}
