import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { caseView } from "../case-views.ts";
import type { SealedWords } from "../sealed-words.ts";

/** One case, its description opened for the gateway's case view. */
export async function getCase(pool: pg.Pool, words: SealedWords, caseId: string): Promise<afterSalesApi.CaseView> {
  if (!caseId.trim()) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const found = await caseRepository.findById(pool, caseId.trim());
  if (!found) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId.trim()}`);
  return caseView(found, words);
}
