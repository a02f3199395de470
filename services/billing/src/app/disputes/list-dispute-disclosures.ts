import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { disputeDisclosureRepository } from "../../adapters/pg/dispute-disclosure-repository.ts";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";

/** More than a dispute is ever shown in practice; the answer stays bounded. */
const maxDisclosures = 1_000;

/** Who was shown a dispute's statement, oldest first (the auditor's answer to "who read what I wrote?"); never the statement. */
export async function listDisputeDisclosures(pool: pg.Pool, request: billingApi.ListDisputeDisclosuresRequest): Promise<billingApi.DisputeDisclosures> {
  const disputeId = request.disputeId.trim();
  if (!disputeId) throw new ValidationError([{ field: "disputeId", message: "is required" }]);
  if (!(await disputeRepository.find(pool, disputeId))) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${disputeId}`);
  const disclosures = await disputeDisclosureRepository.listForDispute(pool, disputeId, maxDisclosures);
  return {
    disputeId,
    disclosures: disclosures.map((d) => ({ shownTo: d.shownTo, role: d.role, fields: d.fields, at: d.shownAt.toISOString(), correlationId: d.correlationId })),
  };
}
