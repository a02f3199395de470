import type { Redis } from "ioredis";
import { UnavailableError } from "@oms/errors";
import { execute } from "./pipeline.ts";
import type { DispatchKeys } from "./keys.ts";

/**
 * Active tasks per staff member, one hash per store (staff id → count). An optimisation
 * for reading workloads without touching Postgres; Postgres stays the truth, and these
 * are rebuilt from it at start and whenever they disagree with it.
 */
export class WorkloadCounters {
  readonly #redis: Redis;
  readonly #keys: DispatchKeys;

  constructor(redis: Redis, keys: DispatchKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** Adds one to each person's count in turn, in one round trip; returns each new count. */
  async addOneEach(storeId: string, staffIds: readonly string[]): Promise<number[]> {
    if (staffIds.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const staffId of staffIds) pipeline.hincrby(this.#keys.workloadOfStore(storeId), staffId, 1);
    return (await execute(pipeline)).map(Number);
  }

  /** The store's counts; undefined when Redis has none for the store. */
  async read(storeId: string): Promise<Map<string, number> | undefined> {
    const hash = await this.#redis.hgetall(this.#keys.workloadOfStore(storeId));
    const entries = Object.entries(hash);
    if (entries.length === 0) return undefined;
    return new Map(entries.map(([staffId, count]) => [staffId, Number(count)]));
  }

  /** Replaces the store's counts at once (MULTI), with the counts read from Postgres. */
  async replace(storeId: string, counts: ReadonlyMap<string, number>): Promise<void> {
    const key = this.#keys.workloadOfStore(storeId);
    const transaction = this.#redis.multi().del(key);
    if (counts.size > 0) transaction.hset(key, Object.fromEntries(counts));
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new UnavailableError("dispatch.workload-counters-aborted", `replacing the workload counters of ${storeId} was aborted`);
  }
}
