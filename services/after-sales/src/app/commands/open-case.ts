import type { afterSalesApi } from "@oms/contracts";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { policyRepository } from "../../adapters/pg/policy-repository.ts";
import { openerOf, unknownOrder } from "../../domain/case-callers.ts";
import { caseOpenedBy, checkedCaseRequest, decideOpening, isRepeatOfOpening } from "../../domain/case-opening.ts";
import { wordsInTheClear } from "../../domain/customer-words.ts";
import { defaultPolicyOf } from "../../domain/policy.ts";
import { caseAnnouncements } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";
import { caseView } from "../case-views.ts";
import { startComplaintTimer } from "../complaint-timer.ts";

/**
 * A customer, or customer service for them, opens a case under their own id (ADR 015). It
 * is judged against the store's policy and recorded either way; out of the policy it is
 * declined at once with the reason. Asked before after-sales heard the order was delivered,
 * a request that needs delivered goods is refused and nothing is recorded. The case, its events and a complaint's timer are
 * written in one transaction, the customer's description sealed in the row and in CaseOpened
 * (ADR 017's sealing addendum). A retry under the id answers the case as it now stands, once
 * the stored words, opened, are the same.
 */
export async function openCase(deps: CaseDeps, request: afterSalesApi.OpenCaseRequest): Promise<afterSalesApi.CaseView> {
  // Checked before the order is looked up: who may not open learns nothing of which orders exist.
  const opener = openerOf(request.caller);
  const asked = checkedCaseRequest(request, opener);
  const answered = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      // The order's facts are locked first (then the new case's id): two returns of one order
      // opened at once are counted one after the other against what was ordered.
      const facts = await orderFactsRepository.lock(tx, asked.orderId);
      if (!facts) throw unknownOrder(asked.orderId);
      const namedByOtherCases = await caseRepository.quantitiesNamedByOtherCases(tx, facts.orderId, asked.caseId);
      const policy = (await policyRepository.find(tx, facts.storeId)) ?? defaultPolicyOf(facts.storeId, deps.policyDefaults);
      const now = deps.clock();
      const events = decideOpening({ request: asked, opener, facts, policy, namedByOtherCases, correlationId: request.correlationId, now });
      const opened = caseOpenedBy(events);
      const sealed = { ...opened, description: { sealed: deps.words.sealDescription(opened.caseId, asked.description) } };
      // A twin sent at the same moment waits on the id's index, then finds the first.
      if (await caseRepository.insertIfNew(tx, sealed)) {
        await deps.outbox.append(tx, caseAnnouncements(sealed, events, { actor: opener, correlationId: request.correlationId, now }));
        await startComplaintTimer(tx, opened, events);
        return sealed;
      }
      const stored = await caseRepository.findById(tx, opened.caseId);
      if (!stored) throw new Error(`case ${opened.caseId} neither inserted nor found`);
      // Sealed bytes differ at every sealing: the retry is compared with the words they hold.
      isRepeatOfOpening(opened, { ...stored, description: wordsInTheClear(deps.words.descriptionOf(stored.caseId, stored.description)) });
      return stored;
    }),
  );
  return caseView(answered, deps.words);
}
