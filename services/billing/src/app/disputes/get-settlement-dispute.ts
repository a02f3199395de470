import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { viewerOf } from "../../domain/dispute-showings.ts";
import type { DisputeReadDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

/**
 * One dispute as it stands: the gateway learns its store, to hold a store-scoped caller to their
 * own stores (no caller named: the statement stays sealed), or shows it to the caller it names
 * (the statement opened and the showing logged in the transaction that read it).
 */
export async function getSettlementDispute({ pool, statements }: DisputeReadDeps, request: billingApi.GetSettlementDisputeRequest): Promise<billingApi.SettlementDisputeView> {
  if (!request.disputeId.trim()) throw new ValidationError([{ field: "disputeId", message: "is required" }]);
  const viewer = viewerOf(request, request.correlationId);
  const read = async (db: pg.Pool | pg.ClientBase) => {
    const dispute = await disputeRepository.find(db, request.disputeId);
    if (!dispute) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${request.disputeId}`);
    const [view] = await disputeViewsOf(db, statements, [dispute], viewer ? { viewer } : "nobody");
    return view!;
  };
  // Only a showing needs the transaction; the gateway's store lookup stays as cheap as it was (ADR 010).
  return viewer ? withTransaction(pool, read) : read(pool);
}
