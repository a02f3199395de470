import type pg from "pg";
import { EventTypes, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { recordReplacementStep } from "../../domain/case-replacement.ts";

/** The warehouse's announcements of a replacement's clerk steps (ADR 030's seventh addendum). */
export const replacementStepEventTypes = [EventTypes.ReplacementPicked, EventTypes.ReplacementPacked] as const;
type ReplacementStepEvent = OrderEventOf<(typeof replacementStepEventTypes)[number]>;

export const isReplacementStepEvent = (event: OrderEvent | undefined): event is ReplacementStepEvent =>
  !!event && (replacementStepEventTypes as readonly string[]).includes(event.type);

/**
 * A clerk picked or packed an exchange's replacement: the case shows when, for the desk to tell the
 * customer it is on its way out. Under the case's row lock, in the order the warehouse announced it;
 * the inbox keeps a republished copy out and the domain a step heard again from changing anything.
 */
export async function recordCaseReplacementStep(tx: pg.ClientBase, event: ReplacementStepEvent, logger: Logger): Promise<void> {
  const { caseId } = event.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse announced a step of the replacement of case ${caseId}, which after-sales does not have`);
  const step = event.type === EventTypes.ReplacementPicked ? "picked" : "packed";
  const after = recordReplacementStep(state, step, event.occurredAt, event.storeId);
  const log = { orderId: event.orderId, caseId, step, storeId: event.storeId, correlationId: event.correlationId };
  if (after === state || !after.replacement) {
    logger.info(log, "replacement step passed over: not reserved at that store, or recorded before");
    return;
  }
  await caseRepository.recordReplacement(tx, { ...after, replacement: after.replacement });
  logger.info(log, "replacement step recorded on the case");
}
