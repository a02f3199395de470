import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { carrierClaimRepository } from "../../adapters/pg/carrier-claim-repository.ts";
import { carrierClaimStatuses, isCarrierClaimOverdue, overdueFiledUpTo, type CarrierClaimStatus } from "../../domain/carrier-claim.ts";
import { carrierClaimView } from "../case-views.ts";
import { carrierClaimPageOf, nextCarrierClaimPageToken } from "./carrier-claim-pages.ts";

/**
 * A store's claims against carriers (ADR 017, carrier-claim addendum), the oldest filing first:
 * the after-sales desk's and finance's list to chase, each marked overdue once still filed past
 * its follow-up date on the service's clock; `overdueOnly` narrows to those. Only the claim and
 * the case's ids: the customer's words are not read, so nothing is shown or logged. A page at a
 * time (ADR 017, twenty-ninth session's addendum): `nextPageToken` continues it, "" on the last
 * page; `limit` is the page size's older name.
 */
export async function listCarrierClaims(pool: pg.Pool, request: afterSalesApi.ListCarrierClaimsRequest, clock: () => Date): Promise<afterSalesApi.ListCarrierClaimsResponse> {
  const fields: FieldError[] = [];
  const storeId = request.storeId.trim();
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  const status = request.status.trim();
  if (status && !(carrierClaimStatuses as readonly string[]).includes(status)) fields.push({ field: "status", message: `must be one of ${carrierClaimStatuses.join(", ")} (empty for all)` });
  if (request.overdueOnly && status && status !== "filed") fields.push({ field: "status", message: `only a filed claim is overdue: leave status empty or filed with overdueOnly, not ${status}` });
  const page = carrierClaimPageOf({ pageSize: request.pageSize ?? 0, limit: request.limit, pageToken: request.pageToken ?? "" }, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  const now = clock();
  // One more than the page: whether a next page exists, without a count.
  const withOneMore = await carrierClaimRepository.list(
    pool,
    { storeId, ...(status ? { status: status as CarrierClaimStatus } : {}), ...(request.overdueOnly ? { filedUpTo: overdueFiledUpTo(now) } : {}) },
    { size: page.size + 1, after: page.after },
  );
  const listed = withOneMore.slice(0, page.size);
  return {
    nextPageToken: nextCarrierClaimPageToken(listed.at(-1)?.position, withOneMore.length > page.size),
    claims: listed.map(({ caseId, orderId, storeId: store, claim }) => ({
      caseId,
      orderId,
      storeId: store,
      claim: carrierClaimView(claim),
      overdue: isCarrierClaimOverdue(claim, now),
    })),
  };
}
