import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import type { DisputeReadDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

/** One dispute as it stands: the gateway learns its store, to hold a store-scoped caller to their own stores. */
export async function getSettlementDispute({ pool, statements }: DisputeReadDeps, request: billingApi.GetSettlementDisputeRequest): Promise<billingApi.SettlementDisputeView> {
  if (!request.disputeId.trim()) throw new ValidationError([{ field: "disputeId", message: "is required" }]);
  const dispute = await disputeRepository.find(pool, request.disputeId);
  if (!dispute) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${request.disputeId}`);
  const [view] = await disputeViewsOf(pool, statements, [dispute]);
  return view!;
}
