import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { caseDisclosureRepository } from "../../adapters/pg/case-disclosure-repository.ts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";

/** More than a case is ever shown in practice; the answer stays bounded. */
const maxDisclosures = 1_000;

/** Who was shown a case's words, oldest first (the auditor's answer to "who read my complaint?"); never the words. */
export async function listCaseDisclosures(pool: pg.Pool, request: afterSalesApi.ListCaseDisclosuresRequest): Promise<afterSalesApi.CaseDisclosures> {
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  if (!(await caseRepository.findById(pool, caseId))) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
  const disclosures = await caseDisclosureRepository.listForCase(pool, caseId, maxDisclosures);
  return {
    caseId,
    disclosures: disclosures.map((d) => ({ shownTo: d.shownTo, role: d.role, fields: d.fields, at: d.shownAt.toISOString(), correlationId: d.correlationId })),
  };
}
