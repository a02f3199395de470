import type pg from "pg";
import type { archiveApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { refuseMissingDossier } from "../retention/retention-views.ts";

/**
 * An order's dossier index: every filed event, as it happened, by type and time. The
 * sealed envelopes are not opened here: their content is viewed on an approved access
 * request, and logged (app/access/view-dossier.ts).
 */
export async function getDossier(db: pg.Pool, orderId: string): Promise<archiveApi.Dossier> {
  if (!orderId.trim()) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  const summary = await dossierRepository.findSummary(db, orderId);
  // A dossier disposed of (ADR 029) is refused naming the disposal.
  if (!summary) return refuseMissingDossier(db, orderId);
  const entries = await dossierRepository.listEntries(db, orderId);
  return {
    orderId: summary.orderId,
    storeId: summary.storeId,
    entries: entries.map((entry) => ({
      eventId: entry.eventId,
      eventType: entry.eventType,
      producer: entry.producer,
      occurredAt: entry.occurredAt.toISOString(),
      topic: entry.topic,
      filedAt: entry.filedAt.toISOString(),
    })),
  };
}
