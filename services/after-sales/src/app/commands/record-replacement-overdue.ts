import type pg from "pg";
import type { EventTypes, OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { replacementLateRepository } from "../../adapters/pg/replacement-late-repository.ts";
import { isLate, recordReplacementOverdue } from "../../domain/replacement-lateness.ts";

/**
 * The warehouse flagged an exchange's replacement not shipped by its ship-by deadline (ADR 030's
 * fifth addendum): the case shows it late, since when, at what level and by when it was due, for
 * the desk to chase and the customer to be told (sixth addendum). Under the case's row lock, in
 * the order the warehouse announced it (keyed by the order), so a flag heard after the shipment,
 * the call-off or a move is passed over (the domain says how). The inbox keeps a republished
 * copy from counting twice; the domain keeps a flag heard again from changing anything.
 */
export async function recordCaseReplacementOverdue(tx: pg.ClientBase, event: OrderEventOf<typeof EventTypes.ReplacementShipOverdue>, logger: Logger): Promise<void> {
  const { caseId, level, dueAt, responsibleRole, escalatedToRole, storeId, step } = event.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse flagged the replacement of case ${caseId} late, which after-sales does not have`);
  const after = recordReplacementOverdue(state, { step, level, dueAt: new Date(dueAt), responsibleRole, escalatedToRole, storeId: storeId || event.storeId, at: event.occurredAt });
  const log = { orderId: event.orderId, caseId, step, level, dueAt, storeId, correlationId: event.correlationId };
  if (typeof after === "string") {
    logger.info({ ...log, passedOver: after }, "late replacement flag passed over");
    return;
  }
  if (!isLate(after.replacement)) throw new Error(`case ${caseId} lost its late replacement while recording it`);
  await replacementLateRepository.save(tx, { ...after, replacement: after.replacement });
  logger.info(log, "late replacement recorded on the case");
}
