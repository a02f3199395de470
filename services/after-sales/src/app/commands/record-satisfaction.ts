import { EventTypes, newEvent, type afterSalesApi } from "@oms/contracts";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import { satisfactionRepository } from "../../adapters/pg/satisfaction-repository.ts";
import { callerLabel, openerOf, unknownOrder } from "../../domain/case-callers.ts";
import { clearTextOf, wordsInTheClear } from "../../domain/customer-words.ts";
import { checkedSatisfaction, decideSatisfaction, type Satisfaction } from "../../domain/satisfaction.ts";
import type { CaseDeps } from "../case-deps.ts";

/**
 * The customer says how satisfied they are with an order that reached them, online, or to
 * customer service on a follow-up call; once per order. Recorded and announced
 * (SatisfactionRecorded, in the order's dossier and for analytics) in one transaction, under
 * the order's lock, so two answers at once are taken one after the other. The comment is
 * the customer's own words: sealed in the row and in the event (ADR 017's sealing addendum),
 * opened only to compare a retry, which answers it as recorded.
 */
export async function recordSatisfaction(deps: CaseDeps, request: afterSalesApi.RecordSatisfactionRequest): Promise<afterSalesApi.Satisfaction> {
  const by = openerOf(request.caller);
  const asked = checkedSatisfaction(request, by);
  return retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const facts = await orderFactsRepository.lock(tx, asked.orderId);
      if (!facts) throw unknownOrder(asked.orderId);
      const stored = await satisfactionRepository.find(tx, facts.orderId);
      const recorded = stored && { ...stored, comment: wordsInTheClear(deps.words.commentOf(stored.orderId, stored.comment)) };
      const now = deps.clock();
      const decided = decideSatisfaction(asked, by, callerLabel(by), facts, recorded, now);
      if (!decided) return satisfactionView(recorded!);
      const sealedComment = deps.words.sealComment(decided.orderId, asked.comment);
      await satisfactionRepository.insert(tx, { ...decided, comment: { sealed: sealedComment } });
      const origin = { producer: "after-sales", orderId: facts.orderId, storeId: facts.storeId, actor: by, correlationId: request.correlationId, now };
      const announced = { score: decided.score, comment: "", sealedComment, channel: decided.channel };
      await deps.outbox.append(tx, [newEvent(EventTypes.SatisfactionRecorded, announced, origin)]);
      return satisfactionView(decided);
    }),
  );
}

function satisfactionView(s: Satisfaction): afterSalesApi.Satisfaction {
  return { orderId: s.orderId, storeId: s.storeId, score: s.score, comment: clearTextOf(s.comment, "the answer's comment"), channel: s.channel, recordedBy: s.recordedBy, recordedAt: s.recordedAt.toISOString() };
}
