import type pg from "pg";
import { ValidationError, type FieldError } from "@oms/errors";
import { returnRepository } from "../../adapters/pg/return-repository.ts";
import type { ExpectedReturn } from "../../domain/returns.ts";

const defaultLimit = 100;
const maxLimit = 500;

/** The store's receiving list of returned goods: returns and exchanges not yet all back, the longest expected first. */
export async function listExpectedReturns(pool: pg.Pool, request: { storeId: string; limit: number }): Promise<ExpectedReturn[]> {
  const storeId = request.storeId.trim();
  const fields: FieldError[] = [];
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(request.limit) || request.limit < 0 || request.limit > maxLimit) fields.push({ field: "limit", message: `must be 1 to ${maxLimit} (0: ${defaultLimit})` });
  if (fields.length > 0) throw new ValidationError(fields);
  return returnRepository.listOpen(pool, storeId, request.limit || defaultLimit);
}
