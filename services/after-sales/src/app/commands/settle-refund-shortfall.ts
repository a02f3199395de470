import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRefundRepository } from "../../adapters/pg/case-refund-repository.ts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { rolesThatSettleRefunds, staffIn } from "../../domain/case-callers.ts";
import { settleRefundShortfall as settle } from "../../domain/case-refunds.ts";
import { shortfallSettledAnnouncement } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { caseViewWithoutWords } from "../case-views.ts";

/**
 * Finance settled the rest of a case's short refund by hand (ADR 017, addendum): under the
 * case's row lock (ordered with billing's news of the case), the settlement is written and
 * RefundShortfallSettled announced in one transaction. The same reference again writes and
 * announces nothing; a refusal writes nothing. Returns the case as it now stands, without the
 * customer's description.
 */
export async function settleRefundShortfall(deps: CaseDeps, request: afterSalesApi.SettleRefundShortfallRequest): Promise<afterSalesApi.CaseView> {
  const caller = staffIn(request.caller, rolesThatSettleRefunds, "settle a case's refund shortfall");
  // Trimmed as OpenCase stored it.
  const caseId = request.caseId.trim();
  if (!caseId) throw new ValidationError([{ field: "caseId", message: "is required" }]);
  const settled = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const state = await caseRepository.lockById(tx, caseId);
      if (!state) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
      const now = deps.clock();
      const after = settle(state, { caller, reference: request.reference, note: request.note, now });
      if (!after) return state;
      await caseRefundRepository.saveSettlement(tx, after);
      const reference = after.refundShortfall!.settlement!.reference;
      await deps.outbox.append(tx, [shortfallSettledAnnouncement(after, reference, { actor: caller, correlationId: request.correlationId, now })]);
      return after;
    }),
  );
  // Finance settles money: the customer's words stay sealed in its answer (ADR 017's sealing addendum).
  return caseViewWithoutWords(settled);
}
