import type { Redis } from "ioredis";

/**
 * Every Redis key dispatch uses, under one prefix that carries the namespace, so that
 * parallel test runs (and benchmark stacks) sharing one Redis never see each other's keys.
 */
export interface DispatchKeys {
  prefix: string;
  taskLock(taskId: string): string;
  fencingCounter: string;
  workloadOfStore(storeId: string): string;
  /** Counts the increments of a store's workload counters, so that a rebuild can tell one landed meanwhile. */
  workloadGeneration(storeId: string): string;
}

export function dispatchKeys(namespace: string): DispatchKeys {
  const prefix = namespace ? `oms:${namespace}:dispatch` : "oms:dispatch";
  return {
    prefix,
    taskLock: (taskId) => `${prefix}:lock:task:${taskId}`,
    fencingCounter: `${prefix}:fencing-token`,
    // One hash tag for a store's two keys: the counters' scripts touch both, which Redis
    // Cluster allows only within one slot.
    workloadOfStore: (storeId) => `${prefix}:workload:{${storeId}}:counts`,
    workloadGeneration: (storeId) => `${prefix}:workload:{${storeId}}:generation`,
  };
}

/** Deletes every key under the prefix: for tests, and for retiring a namespace. */
export async function deleteAllKeys(redis: Redis, keys: DispatchKeys): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${keys.prefix}:*`, "COUNT", 500);
    cursor = next;
    if (found.length > 0) deleted += await redis.del(...found);
  } while (cursor !== "0");
  return deleted;
}
