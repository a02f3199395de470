import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import { casesShown } from "../case-showings.ts";
import type { SealedWords } from "../sealed-words.ts";

/**
 * One case for the gateway's case view: its description opened for the caller the request
 * names and the showing logged in the transaction that read it; left sealed when it names none.
 */
export async function getCase(pool: pg.Pool, words: SealedWords, request: afterSalesApi.GetCaseRequest): Promise<afterSalesApi.CaseView> {
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const viewer = viewerOf(request.caller, request.correlationId);
  const read = async (db: pg.Pool | pg.ClientBase) => {
    const found = await caseRepository.findById(db, caseId);
    if (!found) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
    const [view] = await casesShown(db, words, [found], viewer);
    return view!;
  };
  // Only a showing needs the transaction; the gateway's sealed lookups stay one round trip (ADR 010).
  return viewer ? withTransaction(pool, read) : read(pool);
}
