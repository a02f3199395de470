import { EventTypes, newEvent, type afterSalesApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { satisfactionRepository } from "../../adapters/pg/satisfaction-repository.ts";
import { callerLabel, openerOf } from "../../domain/case-callers.ts";
import { checkedSatisfaction, decideSatisfaction, type Satisfaction } from "../../domain/satisfaction.ts";
import type { CaseDeps } from "../case-deps.ts";

/**
 * The customer says how satisfied they are with an order that reached them, online, or to
 * customer service on a follow-up call; once per order. Recorded and announced
 * (SatisfactionRecorded, in the order's dossier and for analytics) in one transaction, under
 * the order's lock, so two answers at once are taken one after the other. A retry of the
 * same answer answers it as recorded.
 */
export async function recordSatisfaction(deps: CaseDeps, request: afterSalesApi.RecordSatisfactionRequest): Promise<afterSalesApi.Satisfaction> {
  const by = openerOf(request.caller);
  const asked = checkedSatisfaction(request, by);
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const facts = await orderFactsRepository.lock(tx, asked.orderId);
      if (!facts) throw new NotFoundError("after-sales.order-unknown", `after-sales knows no order ${asked.orderId}`);
      const recorded = await satisfactionRepository.find(tx, facts.orderId);
      const now = deps.clock();
      const decided = decideSatisfaction(asked, by, callerLabel(by), facts, recorded, now);
      if (!decided) return satisfactionView(recorded!);
      await satisfactionRepository.insert(tx, decided);
      const origin = { producer: "after-sales", orderId: facts.orderId, storeId: facts.storeId, actor: by, correlationId: request.correlationId, now };
      await deps.outbox.append(tx, [newEvent(EventTypes.SatisfactionRecorded, { score: decided.score, comment: decided.comment, channel: decided.channel }, origin)]);
      return satisfactionView(decided);
    }),
  );
}

function satisfactionView(s: Satisfaction): afterSalesApi.Satisfaction {
  return { orderId: s.orderId, storeId: s.storeId, score: s.score, comment: s.comment, channel: s.channel, recordedBy: s.recordedBy, recordedAt: s.recordedAt.toISOString() };
}
