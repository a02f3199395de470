import type pg from "pg";
import { EventTypes, newEvent, type Actor, type OrderEvent, type billingApi } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { creditRepository } from "../../adapters/pg/credit-repository.ts";
import { assessmentOf, isRepeatOf, worsens } from "../../domain/credit.ts";
import { getCustomerCredit } from "../queries/get-customer-credit.ts";

/**
 * A finance clerk assesses a customer's credit. Every assessment is kept (the same one again
 * is a repeat, kept once); the newest
 * decides the customer's next on-credit orders. One that worsens the credit starts
 * collection on what the customer owes on orders already in execution (CollectionStarted
 * on each, once); orders still waiting for credit stay waiting — no new work starts for them
 * until a clerk decides (billing decides an order when it is held, not on a later assessment).
 */
export async function assessCredit(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.AssessCreditRequest, correlationId: string): Promise<billingApi.CustomerCreditView> {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") {
    throw new ForbiddenError("credit.by-finance", "only a finance clerk assesses a customer's credit");
  }
  const assessment = assessmentOf({
    customerId: request.customerId ?? "",
    rating: request.rating ?? "",
    limitMinor: Number(request.limit?.minor ?? 0),
    currency: request.limit?.currency ?? "",
    termsDays: request.termsDays ?? 0,
    reason: request.reason ?? "",
  });
  const actor: Actor = { kind: "staff", id: request.callerId, role: request.callerRole };
  await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      await creditRepository.lockCustomers(tx, [assessment.customerId]);
      const before = await creditRepository.currentAssessment(tx, assessment.customerId);
      // A retry after a lost answer: the history keeps it once.
      if (isRepeatOf(before, assessment)) return;
      await creditRepository.insertAssessment(tx, assessment, `staff:${request.callerId}`);
      if (!worsens(before, assessment)) return;
      const owing = (await creditRepository.openOrders(tx, assessment.customerId)).filter((o) => o.inExecution && !o.collectionStartedAt && o.outstandingMinor > 0);
      await creditRepository.startCollection(
        tx,
        owing.map((o) => o.orderId),
      );
      const events: OrderEvent[] = owing.map((o) =>
        newEvent(
          EventTypes.CollectionStarted,
          { customerId: assessment.customerId, outstanding: { minor: o.outstandingMinor, currency: o.currency }, reason: `credit worsened: ${assessment.reason}` },
          { producer: "billing", orderId: o.orderId, storeId: o.storeId, actor, correlationId },
        ),
      );
      await outbox.append(tx, events);
    }),
  );
  return getCustomerCredit(pool, assessment.customerId);
}
