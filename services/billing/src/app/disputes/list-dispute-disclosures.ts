import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { logPageSizeOf, logPositionOfToken } from "@oms/postgres";
import { disputeDisclosureRepository } from "../../adapters/pg/dispute-disclosure-repository.ts";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";

/**
 * Who was shown a dispute's statement, oldest first, a page at a time (the auditor's answer to
 * "who read what I wrote?"); never the statement. Paged rather than capped: a dispute on a busy
 * desk's list passes any cap, and the showings past it are the ones the customer asks about.
 */
export async function listDisputeDisclosures(pool: pg.Pool, request: billingApi.ListDisputeDisclosuresRequest): Promise<billingApi.DisputeDisclosures> {
  const disputeId = request.disputeId.trim();
  if (!disputeId) throw new ValidationError([{ field: "disputeId", message: "is required" }]);
  const size = logPageSizeOf(request.pageSize, "pageSize");
  const after = logPositionOfToken(request.pageToken, "pageToken");
  if (!(await disputeRepository.find(pool, disputeId))) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${disputeId}`);
  const page = await disputeDisclosureRepository.listForDispute(pool, disputeId, size, after);
  return {
    disputeId,
    disclosures: page.disclosures.map((d) => ({ shownTo: d.shownTo, role: d.role, fields: d.fields, at: d.shownAt.toISOString(), correlationId: d.correlationId })),
    nextPageToken: page.nextPageToken,
  };
}
