import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordReplacementRestock } from "../../domain/case-replacement.ts";

/**
 * Staff at the store said when a SKU an exchange's replacement waits for is expected back (or
 * that nobody knows any more): the case shows the new day of the whole replacement, for
 * customer service to tell the customer (ADR 030's second addendum). Under the case's row lock,
 * in the order the warehouse announced it (keyed by the order), so the last word holds.
 */
export async function recordCaseReplacementRestock(tx: pg.ClientBase, event: OrderEventOf<typeof EventTypes.ReplacementRestockExpected>, logger: Logger): Promise<void> {
  const { caseId, short } = event.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse announced a restock date for the replacement of case ${caseId}, which after-sales does not have`);
  const after = recordReplacementRestock(state, short);
  if (after === state || !after.replacement) return;
  await caseRepository.recordReplacement(tx, { ...after, replacement: after.replacement });
  logger.info(
    { orderId: event.orderId, caseId, sku: event.payload.sku, expectedRestockDate: after.replacement.expectedRestockDate ?? "", correlationId: event.correlationId },
    "replacement's expected restock date recorded on the case",
  );
}
