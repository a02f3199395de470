import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { logPageSizeOf, logPositionOfToken } from "@oms/postgres";
import { caseDisclosureRepository } from "../../adapters/pg/case-disclosure-repository.ts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";

/**
 * Who was shown a case's words, oldest first, a page at a time (the auditor's answer to "who read
 * my complaint?"); never the words. Paged rather than capped: a case on a busy desk's worklist is
 * shown at every read of the list and passes any cap within days, and the showings past it are
 * the ones the customer asks about.
 */
export async function listCaseDisclosures(pool: pg.Pool, request: afterSalesApi.ListCaseDisclosuresRequest): Promise<afterSalesApi.CaseDisclosures> {
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const size = logPageSizeOf(request.pageSize, "pageSize");
  const after = logPositionOfToken(request.pageToken, "pageToken");
  if (!(await caseRepository.findById(pool, caseId))) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
  const page = await caseDisclosureRepository.listForCase(pool, caseId, size, after);
  return {
    caseId,
    disclosures: page.disclosures.map((d) => ({ shownTo: d.shownTo, role: d.role, fields: d.fields, at: d.shownAt.toISOString(), correlationId: d.correlationId })),
    nextPageToken: page.nextPageToken,
  };
}
