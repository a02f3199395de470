import type { archiveApi } from "@oms/contracts";

/** The archive's answers as the gateway shows them: each record's content as JSON, not as text holding JSON. */
export function dossierViewOf(view: archiveApi.DossierView) {
  return {
    orderId: view.orderId,
    storeId: view.storeId,
    viewingId: view.viewingId,
    records: view.records.map((record) => ({
      eventId: record.eventId,
      eventType: record.eventType,
      producer: record.producer,
      occurredAt: record.occurredAt,
      actor: record.actor,
      payload: JSON.parse(record.payloadJson) as Record<string, unknown>,
    })),
  };
}
