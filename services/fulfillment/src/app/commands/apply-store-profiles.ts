import type pg from "pg";
import { newestPerStore, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { storeSettingsRepository } from "../../adapters/pg/store-settings-repository.ts";
import { assertTimeableDeadlines, type PublishedDeadlines } from "../../domain/store-profile.ts";

export type StorePublication = OrderEventOf<typeof EventTypes.StorePublished>;

/**
 * Stores' profiles as intake published them (ADR 028): fulfillment keeps each store's
 * confirmation deadlines, which time the follow-up, escalation and cancellation of orders
 * received after. Each store's newest publication of the batch is applied, and only when
 * newer than the version held: a re-delivery or a replay changes nothing. An order's
 * timers already set keep the deadlines it was received under.
 */
export async function applyStoreProfiles(tx: pg.ClientBase, publications: readonly StorePublication[], logger: Logger): Promise<void> {
  const published = newestPerStore(publications.map(deadlinesOf)).map(assertTimeableDeadlines);
  const changed = new Set(await storeSettingsRepository.applyProfiles(tx, published));
  const applied = published.filter((p) => changed.has(p.storeId));
  const ignored = published.filter((p) => !changed.has(p.storeId));
  if (applied.length > 0) {
    logger.info({ stores: applied.map((p) => ({ storeId: p.storeId, version: p.version })) }, "stores' confirmation deadlines taken from their published profiles");
  }
  if (ignored.length > 0) {
    logger.info({ stores: ignored.map((p) => ({ storeId: p.storeId, version: p.version })) }, "stores' profiles heard again or out of date; deadlines unchanged");
  }
}

/** A publication without its profile reads as one naming no store, which assertTimeableDeadlines refuses (the consumer dead-letters it). */
function deadlinesOf(event: StorePublication): PublishedDeadlines {
  const store = event.payload.store;
  return {
    storeId: store?.storeId ?? "",
    version: event.payload.version,
    followUpHours: store?.confirmationFollowUpHours ?? 0,
    escalationHours: store?.confirmationEscalationHours ?? 0,
    cancelHours: store?.confirmationCancelHours ?? 0,
  };
}
