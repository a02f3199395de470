import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { returnRepository } from "../../adapters/pg/return-repository.ts";
import { expectedReturnOf, type ExpectedReturn } from "../../domain/returns.ts";

/**
 * After-sales accepted cases: the returns and exchanges among them send goods back to the
 * order's store (the envelope's), which now expects them on its receiving list. One
 * statement for the batch; an acceptance heard again changes nothing.
 */
export async function expectReturns(tx: pg.ClientBase, accepted: readonly OrderEventOf<typeof EventTypes.CaseAccepted>[], logger: Logger): Promise<void> {
  const returns = accepted.flatMap((event): ExpectedReturn[] => {
    const expected = expectedReturnOf({
      caseId: event.payload.caseId,
      orderId: event.orderId,
      storeId: event.storeId,
      kind: event.payload.kind,
      lines: event.payload.lines,
      acceptedAt: event.occurredAt,
    });
    return expected ? [expected] : [];
  });
  const added = await returnRepository.expectAll(tx, returns);
  if (added > 0) {
    logger.info({ cases: returns.map((r) => r.caseId), orderIds: returns.map((r) => r.orderId), added }, "returned goods expected at the order's store");
  }
}
