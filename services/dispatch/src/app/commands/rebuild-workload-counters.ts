import type pg from "pg";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";

/** Rebuilds of a store that an increment overtook before one lands: then the store stays stale and is tried again later. */
const attemptsPerStore = 3;

/**
 * Replaces the Redis workload counters of some stores (all stores with staff when none
 * are named) with the counts in Postgres, which are the truth. Returns the counts read.
 * An assignment commits in Postgres before it counts in Redis, so an increment that lands
 * while a store is read may be missing from the read: the replacement is then refused
 * (WorkloadCounters.replaceIfUnchanged) and the store read again; a store overtaken every
 * time is left as it is and named to `onOvertaken`, to be rebuilt on a later pass (a busy
 * store must not stop a replica from starting).
 */
export async function rebuildWorkloadCounters(
  pool: pg.Pool,
  counters: WorkloadCounters,
  storeIds?: readonly string[],
  onOvertaken?: (storeId: string) => void,
): Promise<Map<string, Map<string, number>>> {
  const stores = storeIds ?? (await staffRepository.storesWithActiveStaff(pool));
  const rebuilt = new Map<string, Map<string, number>>();
  for (const storeId of stores) {
    const { counts, written } = await rebuildStore(pool, counters, storeId);
    if (!written) onOvertaken?.(storeId);
    rebuilt.set(storeId, counts);
  }
  return rebuilt;
}

async function rebuildStore(pool: pg.Pool, counters: WorkloadCounters, storeId: string): Promise<{ counts: Map<string, number>; written: boolean }> {
  let counts = new Map<string, number>();
  for (let attempt = 1; attempt <= attemptsPerStore; attempt++) {
    const generation = await counters.generation(storeId);
    const workload = await staffRepository.workloadOfStore(pool, storeId);
    counts = new Map(workload.map((w) => [w.staff.staffId, w.activeTasks]));
    if (await counters.replaceIfUnchanged(storeId, counts, generation)) return { counts, written: true };
  }
  return { counts, written: false };
}
