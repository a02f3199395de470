import type pg from "pg";
import { ValidationError } from "@oms/errors";
import { replacementRepository } from "../adapters/pg/replacement-repository.ts";
import { stockRepository } from "../adapters/pg/stock-repository.ts";
import { assertShipsFromCallersStore, replacementMovedMeanwhile, replacementNotFound, type Replacement } from "../domain/replacements.ts";
import type { StockAtLocation } from "../domain/stock.ts";

/**
 * What a clerk's pick or pack of a replacement locks (ADR 030's seventh addendum), in the global
 * order: one still awaiting stock (which the pick may reserve) has its SKUs' stock rows locked
 * first (stock-locks.ts), then the replacement's row; a reserved one only its row, since nothing
 * the step writes is stock and a replacement never goes back to waiting. Held to the clerk's
 * stores on the locked row, as the shipment is; moved meanwhile, the step is applied again.
 */
export async function lockForClerkStep(tx: pg.ClientBase, caseId: string, callerStoreIds: readonly string[]): Promise<{ replacement: Replacement; stock: StockAtLocation[] }> {
  // Unlocked: which store and SKUs to lock. Its lines never change; its store may, by the desk's move (checked once locked).
  const known = await replacementRepository.find(tx, caseId);
  if (!known) throw replacementNotFound(caseId);
  const stock = known.status === "awaiting-stock" ? await stockRepository.lockForSkus(tx, known.storeId, known.lines.map((l) => l.sku)) : [];
  const replacement = (await replacementRepository.lock(tx, caseId))!;
  assertShipsFromCallersStore(replacement, callerStoreIds);
  if (replacement.storeId !== known.storeId) throw replacementMovedMeanwhile(caseId, known.storeId, replacement.storeId);
  return { replacement, stock };
}

/** The case id a step names, trimmed; none is a 400 naming the field. */
export function caseIdOfStep(caseId: string): string {
  const trimmed = caseId.trim();
  if (!trimmed) throw new ValidationError([{ field: "caseId", message: "is required" }], undefined, "replacement.invalid-step");
  return trimmed;
}
