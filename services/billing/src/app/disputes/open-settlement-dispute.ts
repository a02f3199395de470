import { randomUUID } from "node:crypto";
import { EventTypes, newEvent, type Actor, type billingApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { refundRepository } from "../../adapters/pg/refund-repository.ts";
import { settlementRepository } from "../../adapters/pg/settlement-repository.ts";
import { paidTotalOf } from "../../domain/refund.ts";
import { assertSameOpening, decideOpening, respondByOf, type OpenDispute } from "../../domain/settlement-dispute.ts";
import { startDisputeTimer } from "./dispute-timer.ts";
import { actorLabel, type DisputeDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

/**
 * Opens a dispute of an order's money (ADR 026), checked against what billing holds of the
 * order — never more than its amount due or what was paid on it — and routed to the
 * departments whose records matter; its response timer starts with it. Looked up under the
 * order's money lock (ADR 015): the same request id again answers the dispute as it is,
 * with other content it is refused.
 */
export async function openSettlementDispute(deps: DisputeDeps, orderId: string, open: OpenDispute, actor: Actor, correlationId: string): Promise<billingApi.SettlementDisputeView> {
  const requestId = open.requestId.trim();
  const openedBy = actorLabel(actor);
  const disputeId = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const held = await refundRepository.lockAccount(tx, orderId);
      if (!held) throw new NotFoundError("settlement-dispute.order-unknown", `billing holds no settlement and no money of order ${orderId}`);
      const settlement = await settlementRepository.findByOrder(tx, orderId);
      const opened = decideOpening(open, { currency: held.account.currency, amountDueMinor: settlement?.amountDueMinor ?? 0, paidMinor: paidTotalOf(held.account) });
      const earlier = await disputeRepository.findByRequest(tx, orderId, requestId);
      if (earlier) {
        assertSameOpening({ ...earlier, statement: deps.statements.textOf(earlier.disputeId, earlier.statement) }, requestId, opened, openedBy);
        return earlier.disputeId;
      }
      const id = randomUUID();
      const respondBy = respondByOf(new Date(), deps.responseHours);
      const storeId = settlement?.storeId ?? held.storeId;
      const { statement, ...routed } = opened;
      const sealedStatement = deps.statements.seal(id, statement);
      await disputeRepository.insert(tx, { disputeId: id, orderId, storeId, requestId, ...routed, sealedStatement, currency: held.account.currency, openedBy, respondBy, correlationId });
      await startDisputeTimer(tx, { disputeId: id, orderId, respondBy });
      await deps.outbox.append(tx, [
        newEvent(
          EventTypes.SettlementDisputeOpened,
          {
            disputeId: id,
            kind: opened.kind,
            amount: { minor: opened.amountMinor, currency: held.account.currency },
            departments: [...opened.departments],
            respondBy: respondBy.toISOString(),
          },
          { producer: "billing", orderId, storeId, actor, correlationId },
        ),
      ]);
      return id;
    }),
  );
  // The opener is answered with the statement they just wrote (a retry only with the same words): an echo, not a showing.
  const [view] = await disputeViewsOf(deps.pool, deps.statements, [(await disputeRepository.find(deps.pool, disputeId))!], "the-opener");
  return view!;
}
