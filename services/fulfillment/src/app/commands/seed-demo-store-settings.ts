import type pg from "pg";
import { loadDemoChain } from "@oms/service-kit";
import { storeSettingsRepository } from "../../adapters/pg/store-settings-repository.ts";

/**
 * Writes the demo chain's stores' confirmation deadlines (infra/demo/chain.json), escalating
 * halfway between the follow-up and the cancellation; seeding again changes nothing, and a
 * store whose profile was ever published keeps what it published (ADR 028).
 */
export async function seedDemoStoreSettings(pool: pg.Pool, chainFile?: string): Promise<void> {
  for (const store of (await loadDemoChain(chainFile)).stores) {
    await storeSettingsRepository.upsert(pool, store.storeId, {
      followUpHours: store.confirmationFollowUpHours,
      escalationHours: (store.confirmationFollowUpHours + store.confirmationCancelHours) / 2,
      cancelHours: store.confirmationCancelHours,
    });
  }
}
