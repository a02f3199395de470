import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { creditRepository, type RecordedAssessment } from "../../adapters/pg/credit-repository.ts";

/** A customer's credit: the current assessment, what they owe on credit, their open on-credit orders, every assessment. */
export async function getCustomerCredit(pool: pg.Pool, customerId: string): Promise<billingApi.CustomerCreditView> {
  const id = customerId?.trim();
  if (!id) throw new ValidationError([{ field: "customerId", message: "is required" }]);
  // One snapshot, so the orders and what they add up to agree.
  const { history, open } = await withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return { history: await creditRepository.history(tx, id), open: await creditRepository.openOrders(tx, id) };
  });
  const current = history[0];
  const currency = current?.currency || open[0]?.currency || "";
  return {
    customerId: id,
    current: current && viewOf(current),
    // Owed on credit granted, in the limit's currency (an order in another is listed, left to a clerk); orders still waiting owe nothing yet.
    exposure: { minor: open.filter((o) => o.inExecution && o.currency === currency).reduce((t, o) => t + o.outstandingMinor, 0), currency },
    openOrders: open.map((o) => ({
      orderId: o.orderId,
      storeId: o.storeId,
      outstanding: { minor: o.outstandingMinor, currency: o.currency },
      decision: o.decision,
      collectionStartedAt: o.collectionStartedAt?.toISOString() ?? "",
    })),
    history: history.map(viewOf),
  };
}

function viewOf(a: RecordedAssessment): billingApi.CreditAssessmentView {
  return {
    rating: a.rating,
    limit: { minor: a.limitMinor, currency: a.currency },
    termsDays: a.termsDays,
    reason: a.reason,
    assessedBy: a.assessedBy,
    assessedAt: a.assessedAt.toISOString(),
  };
}
