import type pg from "pg";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";

/**
 * Replaces the Redis workload counters of some stores (all stores with staff when none
 * are named) with the counts in Postgres, which are the truth. Returns the counts written.
 */
export async function rebuildWorkloadCounters(
  pool: pg.Pool,
  counters: WorkloadCounters,
  storeIds?: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const stores = storeIds ?? (await staffRepository.storesWithActiveStaff(pool));
  const rebuilt = new Map<string, Map<string, number>>();
  for (const storeId of stores) {
    const workload = await staffRepository.workloadOfStore(pool, storeId);
    const counts = new Map(workload.map((w) => [w.staff.staffId, w.activeTasks]));
    await counters.replace(storeId, counts);
    rebuilt.set(storeId, counts);
  }
  return rebuilt;
}
