import type pg from "pg";
import { ValidationError, type FieldError } from "@oms/errors";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import type { Replacement } from "../../domain/replacements.ts";

const defaultLimit = 100;
const maxLimit = 500;

/** The store's exchange replacements still to ship, reserved or awaiting stock, the oldest acceptance first (ADR 030). */
export async function listReplacements(pool: pg.Pool, request: { storeId: string; limit: number }): Promise<Replacement[]> {
  const storeId = request.storeId.trim();
  const fields: FieldError[] = [];
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(request.limit) || request.limit < 0 || request.limit > maxLimit) fields.push({ field: "limit", message: `must be 1 to ${maxLimit} (0: ${defaultLimit})` });
  if (fields.length > 0) throw new ValidationError(fields);
  return replacementRepository.listToShip(pool, storeId, request.limit || defaultLimit);
}
