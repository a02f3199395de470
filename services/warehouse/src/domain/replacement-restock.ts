import { allocate } from "./allocation.ts";
import type { Replacement } from "./replacements.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * Stock rose at a store (goods received, a returned unit restocked, a count found more, a
 * reservation or a replacement released): its exchanges' replacements awaiting stock are
 * reserved from it before anything else can take it (ADR 030's addendum). Pure: the adapter
 * locks the stock rows and the waiting replacements and passes them in.
 *
 * - Oldest acceptance first (then the case id, so the same stock always gives the same
 *   answer): the customer who has waited longest for a working kettle is served first.
 * - Each all or nothing, as at the acceptance (`allocate`, fullest location first): a
 *   partial replacement would hold stock for a parcel that cannot leave anyway.
 * - An older one the stock cannot cover whole does not hold back a younger one it can:
 *   units left on the shelf while the older waits would go to the next order waiting for
 *   stock, not to the older replacement, so keeping them back helps nobody.
 * - What one takes is no longer available to the next.
 */
export function reserveAwaitingReplacements(waiting: readonly Replacement[], stock: readonly StockAtLocation[], at: Date): Replacement[] {
  const levels = stock.map((s) => ({ ...s }));
  const reserved: Replacement[] = [];
  for (const replacement of [...waiting].sort(oldestFirst)) {
    if (replacement.status !== "awaiting-stock") continue;
    const atStore = levels.filter((s) => replacement.lines.some((l) => l.sku === s.sku));
    const decision = allocate(replacement.lines, atStore);
    if (decision.kind === "short") continue;
    for (const taken of decision.lines) {
      const row = atStore.find((s) => s.sku === taken.sku && s.location === taken.location)!;
      row.reserved += taken.quantity;
    }
    reserved.push({ ...replacement, status: "reserved", reserved: decision.lines, reservedAt: at });
  }
  return reserved;
}

function oldestFirst(a: Replacement, b: Replacement): number {
  return a.since.getTime() - b.since.getTime() || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);
}
