import type pg from "pg";
import { EventTypes, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { expectedRestockOf, recordReplacement, type CaseReplacement } from "../../domain/case-replacement.ts";

/** The warehouse's announcements of an exchange's replacement (ADR 030). */
export const replacementEventTypes = [EventTypes.ReplacementReserved, EventTypes.ReplacementAwaitingStock, EventTypes.ReplacementShipped, EventTypes.ReplacementCalledOff, EventTypes.ReplacementMoved] as const;
type ReplacementEvent = OrderEventOf<(typeof replacementEventTypes)[number]>;

export const isReplacementEvent = (event: OrderEvent | undefined): event is ReplacementEvent =>
  !!event && (replacementEventTypes as readonly string[]).includes(event.type);

/**
 * The warehouse reserved, shipped or called off an exchange's replacement, waits for its
 * stock, or sent it from another store: the case keeps where it stands, from which store, the carrier and tracking number, when, and while it
 * waits the day it is expected, for customer service to tell the customer. The inbox keeps a republished copy from counting
 * twice; the case's row lock orders it with the desk's steps on the same case.
 */
export async function recordCaseReplacement(tx: pg.ClientBase, event: ReplacementEvent, logger: Logger): Promise<void> {
  const { caseId } = event.payload;
  const state = await caseRepository.lockById(tx, caseId);
  if (!state) throw new NotFoundError("after-sales.case-not-found", `the warehouse announced a replacement for case ${caseId}, which after-sales does not have`);
  const replacement = replacementOf(event);
  const after = recordReplacement(state, replacement);
  if (after === state) return;
  if (!after.replacement) throw new Error(`case ${caseId} lost its replacement while recording one`);
  await caseRepository.recordReplacement(tx, { ...after, replacement: after.replacement });
  logger.info(
    { orderId: event.orderId, caseId, status: after.replacement.status, expectedRestockDate: after.replacement.expectedRestockDate ?? "", correlationId: event.correlationId },
    "exchange replacement recorded on the case",
  );
}

function replacementOf(event: ReplacementEvent): CaseReplacement {
  return { ...statusOf(event), storeId: event.storeId };
}

/** Where it stands; the store comes from the envelope, which names the replacement's store on every announcement (the new one on a move). */
function statusOf(event: ReplacementEvent): Omit<CaseReplacement, "storeId"> {
  const at = event.occurredAt;
  switch (event.type) {
    case EventTypes.ReplacementReserved:
      return { status: "reserved", carrier: "", trackingNumber: "", at };
    case EventTypes.ReplacementAwaitingStock: {
      const expectedRestockDate = expectedRestockOf(event.payload.short);
      return { status: "awaiting-stock", carrier: "", trackingNumber: "", at, ...(expectedRestockDate ? { expectedRestockDate } : {}) };
    }
    case EventTypes.ReplacementShipped:
      return { status: "shipped", carrier: event.payload.carrier, trackingNumber: event.payload.trackingNumber, at };
    case EventTypes.ReplacementCalledOff:
      return { status: "called-off", carrier: "", trackingNumber: "", at };
    // Sent from another store instead: reserved there.
    case EventTypes.ReplacementMoved:
      return { status: "reserved", carrier: "", trackingNumber: "", at };
    default: {
      const unknown: never = event;
      throw new Error(`unknown replacement event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}
