import type { Redis } from "ioredis";
import type { DispatchKeys } from "./keys.ts";

// One more for each person named (ARGV), and one more increment of the store counted.
const addOneEachScript = `
local counts = {}
for i, staffId in ipairs(ARGV) do counts[i] = redis.call('HINCRBY', KEYS[1], staffId, 1) end
redis.call('INCR', KEYS[2])
return counts`;

// The store's counts replaced (ARGV[2..]: staff id, count, …) only if no increment landed
// since the generation ARGV[1] was read; 1 if replaced, 0 if not.
const replaceIfUnchangedScript = `
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1`;

/**
 * Active tasks per staff member, one hash per store (staff id → count). An optimisation
 * for reading workloads without touching Postgres; Postgres stays the truth, and these
 * are rebuilt from it at start and whenever they disagree with it. Every increment also
 * counts a generation of the store, so that a rebuild whose Postgres read an increment
 * overtook does not overwrite it (replaceIfUnchanged).
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
    const counts = (await this.#redis.eval(addOneEachScript, 2, this.#keys.workloadOfStore(storeId), this.#keys.workloadGeneration(storeId), ...staffIds)) as number[];
    return counts.map(Number);
  }

  /** The store's counts; undefined when Redis has none for the store. */
  async read(storeId: string): Promise<Map<string, number> | undefined> {
    const hash = await this.#redis.hgetall(this.#keys.workloadOfStore(storeId));
    const entries = Object.entries(hash);
    if (entries.length === 0) return undefined;
    return new Map(entries.map(([staffId, count]) => [staffId, Number(count)]));
  }

  /** How many increments the store's counts have had: read it before reading Postgres for a rebuild. */
  async generation(storeId: string): Promise<number> {
    return Number((await this.#redis.get(this.#keys.workloadGeneration(storeId))) ?? 0);
  }

  /**
   * Replaces the store's counts at once with the counts read from Postgres, unless an
   * increment landed since `generation` was read (its task may be missing from that read):
   * then nothing changes and it answers false, and the rebuild reads again.
   */
  async replaceIfUnchanged(storeId: string, counts: ReadonlyMap<string, number>, generation: number): Promise<boolean> {
    const fields = [...counts].flatMap(([staffId, count]) => [staffId, String(count)]);
    const replaced = await this.#redis.eval(
      replaceIfUnchangedScript,
      2,
      this.#keys.workloadOfStore(storeId),
      this.#keys.workloadGeneration(storeId),
      String(generation),
      ...fields,
    );
    return Number(replaced) === 1;
  }
}
