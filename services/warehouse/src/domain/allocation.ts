import { availableAt, type StockAtLocation } from "./stock.ts";

/**
 * The reservation decision: given what an order asks for and what the store's locations
 * can still promise, either every line is covered (and from which locations) or the
 * order is short and nothing is taken. Pure and deterministic.
 */

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface AllocatedLine {
  sku: string;
  location: string;
  quantity: number;
}

export interface ShortLine {
  sku: string;
  requested: number;
  available: number;
  /** The earliest date any location expects the SKU back; empty when unknown. */
  expectedRestockDate: string;
}

export type AllocationDecision = { kind: "allocated"; lines: AllocatedLine[] } | { kind: "short"; lines: ShortLine[] };

/** All or nothing: a partial reservation would hold stock for an order that cannot ship anyway. */
export function allocate(requested: readonly RequestedLine[], stock: readonly StockAtLocation[]): AllocationDecision {
  const demand = demandPerSku(requested);
  const allocated: AllocatedLine[] = [];
  const short: ShortLine[] = [];
  for (const [sku, quantity] of demand) {
    const locations = stock.filter((s) => s.sku === sku).sort(fullestFirst);
    const available = locations.reduce((sum, s) => sum + availableAt(s), 0);
    if (available < quantity) {
      short.push({ sku, requested: quantity, available, expectedRestockDate: earliestRestock(locations) });
      continue;
    }
    allocated.push(...takeFrom(locations, sku, quantity));
  }
  return short.length > 0 ? { kind: "short", lines: short } : { kind: "allocated", lines: allocated };
}

/** One entry per SKU, in the order the SKUs first appear: an order may list a SKU twice. */
function demandPerSku(requested: readonly RequestedLine[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const line of requested) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
  return demand;
}

// Fullest location first, so a line comes from as few locations (fewer picks) as possible;
// the location name breaks ties so the same stock always gives the same answer.
function fullestFirst(a: StockAtLocation, b: StockAtLocation): number {
  return availableAt(b) - availableAt(a) || (a.location < b.location ? -1 : a.location > b.location ? 1 : 0);
}

function takeFrom(locations: readonly StockAtLocation[], sku: string, quantity: number): AllocatedLine[] {
  const lines: AllocatedLine[] = [];
  let missing = quantity;
  for (const location of locations) {
    if (missing === 0) break;
    const taken = Math.min(missing, availableAt(location));
    if (taken === 0) continue;
    lines.push({ sku, location: location.location, quantity: taken });
    missing -= taken;
  }
  return lines;
}

function earliestRestock(locations: readonly StockAtLocation[]): string {
  const dates = locations.map((s) => s.expectedRestockDate).filter(Boolean).sort();
  return dates[0] ?? "";
}
