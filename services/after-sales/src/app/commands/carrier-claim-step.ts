import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { carrierClaimRepository } from "../../adapters/pg/carrier-claim-repository.ts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { rolesThatDecide, staffIn, type CaseCaller } from "../../domain/case-callers.ts";
import type { CaseWithCarrierClaim } from "../../domain/carrier-claim.ts";
import type { AfterSalesCase } from "../../domain/case.ts";
import { carrierClaimAnnouncement } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import { casesShown } from "../case-showings.ts";
import { caseViewWithoutWords } from "../case-views.ts";

export interface CarrierClaimStepRequest {
  caseId: string;
  caller: afterSalesApi.Caller | undefined;
  correlationId: string;
}

/**
 * One step of a case's claim against the carrier (ADR 017, carrier-claim addendum): the
 * caller's role is checked, the case row locked (ordered with every other change of the
 * case), the domain decides, and the claim and its announcement are written in one
 * transaction. A repeat (the domain answers undefined) writes and announces nothing. Returns
 * the case as it now stands, its description shown to the desk and logged as a showing (ADR 017's
 * showings addendum); finance, who records what the carrier paid, is answered without the
 * customer's words, as when it settles a short refund (ADR 017's sealing addendum).
 */
export async function changeCarrierClaim(
  deps: CaseDeps,
  request: CarrierClaimStepRequest,
  roles: ReadonlySet<string>,
  what: string,
  decide: (tx: pg.ClientBase, state: AfterSalesCase, caller: CaseCaller, now: Date) => Promise<CaseWithCarrierClaim | undefined> | CaseWithCarrierClaim | undefined,
): Promise<afterSalesApi.CaseView> {
  const caller = staffIn(request.caller, roles, what);
  // Trimmed as OpenCase stored it.
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const after = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const state = await caseRepository.lockById(tx, caseId);
      if (!state) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
      const now = deps.clock();
      const changed = await decide(tx, state, caller, now);
      if (!changed) return state;
      await carrierClaimRepository.save(tx, changed);
      await deps.outbox.append(tx, [carrierClaimAnnouncement(changed, { actor: caller, correlationId: request.correlationId, now })]);
      return changed;
    }),
  );
  if (!rolesThatDecide.has(caller.role)) return caseViewWithoutWords(after);
  // The desk is shown the description with its answer: logged as a showing once the step is
  // written, as a case decision's answer is (change-case.ts).
  const [view] = await casesShown(deps.pool, deps.words, [after], viewerOf(caller, request.correlationId));
  return view!;
}
