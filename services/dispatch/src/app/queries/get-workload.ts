import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";
import type { Staff } from "../../domain/staff.ts";
import { rebuildWorkloadCounters } from "../commands/rebuild-workload-counters.ts";

/**
 * The active staff of a store with their active tasks and capacity. The counts come from
 * the Redis counters; when those look wrong (missing, a person without a count, a
 * negative count) they are rebuilt from Postgres and the Postgres counts are answered.
 * When Redis cannot be read, Postgres answers alone.
 */
export async function getWorkload(
  deps: { pool: pg.Pool; counters: WorkloadCounters; logger: Logger },
  storeId: string,
): Promise<dispatchApi.GetWorkloadResponse> {
  if (!storeId) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const staff = await staffRepository.activeOfStore(deps.pool, storeId);
  const counts = (await countsFromRedis(deps, storeId, staff)) ?? (await countsFromPostgres(deps.pool, storeId));
  return {
    staff: staff.map((s) => ({ staffId: s.staffId, name: s.name, activeTasks: counts.get(s.staffId) ?? 0, capacity: s.capacity })),
  };
}

async function countsFromRedis(
  deps: { pool: pg.Pool; counters: WorkloadCounters; logger: Logger },
  storeId: string,
  staff: Staff[],
): Promise<Map<string, number> | undefined> {
  if (staff.length === 0) return new Map();
  try {
    const counts = await deps.counters.read(storeId);
    const consistent = counts && staff.every((s) => (counts.get(s.staffId) ?? -1) >= 0);
    if (consistent) return counts;
    return (await rebuildWorkloadCounters(deps.pool, deps.counters, [storeId])).get(storeId);
  } catch (error) {
    deps.logger.warn({ err: error, storeId }, "workload counters unavailable; answering from Postgres");
    return undefined;
  }
}

async function countsFromPostgres(pool: pg.Pool, storeId: string): Promise<Map<string, number>> {
  const workload = await staffRepository.workloadOfStore(pool, storeId);
  return new Map(workload.map((w) => [w.staff.staffId, w.activeTasks]));
}
