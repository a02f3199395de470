import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { carrierClaimRepository } from "../../adapters/pg/carrier-claim-repository.ts";
import { carrierClaimStatuses, isCarrierClaimOverdue, overdueFiledUpTo, type CarrierClaimStatus } from "../../domain/carrier-claim.ts";
import { carrierClaimView } from "../case-views.ts";
import { defaultListLimit, maxListLimit } from "./list-cases.ts";

/**
 * A store's claims against carriers (ADR 017, carrier-claim addendum), the oldest filing first:
 * the after-sales desk's and finance's list to chase, each marked overdue once still filed past
 * its follow-up date on the service's clock; `overdueOnly` narrows to those. Only the claim and
 * the case's ids: the customer's words are not read, so nothing is shown or logged.
 */
export async function listCarrierClaims(pool: pg.Pool, request: afterSalesApi.ListCarrierClaimsRequest, clock: () => Date): Promise<afterSalesApi.ListCarrierClaimsResponse> {
  const fields: FieldError[] = [];
  const storeId = request.storeId.trim();
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  const status = request.status.trim();
  if (status && !(carrierClaimStatuses as readonly string[]).includes(status)) fields.push({ field: "status", message: `must be one of ${carrierClaimStatuses.join(", ")} (empty for all)` });
  if (request.overdueOnly && status && status !== "filed") fields.push({ field: "status", message: `only a filed claim is overdue: leave status empty or filed with overdueOnly, not ${status}` });
  const limit = request.limit === 0 ? defaultListLimit : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) fields.push({ field: "limit", message: `must be from 1 to ${maxListLimit} (${defaultListLimit} when 0)` });
  if (fields.length > 0) throw new ValidationError(fields);
  const now = clock();
  const listed = await carrierClaimRepository.list(pool, {
    storeId,
    ...(status ? { status: status as CarrierClaimStatus } : {}),
    ...(request.overdueOnly ? { filedUpTo: overdueFiledUpTo(now) } : {}),
    limit,
  });
  return {
    claims: listed.map(({ caseId, orderId, storeId: store, claim }) => ({
      caseId,
      orderId,
      storeId: store,
      claim: carrierClaimView(claim),
      overdue: isCarrierClaimOverdue(claim, now),
    })),
  };
}
