import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { caseView } from "../case-views.ts";

export async function getCase(pool: pg.Pool, caseId: string): Promise<afterSalesApi.CaseView> {
  if (!caseId.trim()) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const found = await caseRepository.findById(pool, caseId.trim());
  if (!found) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId.trim()}`);
  return caseView(found);
}
