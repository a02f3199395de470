import type { Redis } from "ioredis";
import { execute } from "./pipeline.ts";
import type { DispatchKeys } from "./keys.ts";

/** A task lock this process holds; `token` fences every write made under it. */
export interface TaskLock {
  taskId: string;
  token: number;
}

// Deletes the lock only if it still holds our token: an expired lock that another
// instance took over must not be released by us.
const releaseIfHeld = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Raises the token counter to at least ARGV[1] (after Redis lost its data, tokens must
// still be newer than every token already written to Postgres).
const raiseCounter = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if current < floor then redis.call('SET', KEYS[1], ARGV[1]) return floor end
return current`;

/**
 * Per-task locks in Redis (SET NX PX) with fencing tokens from one INCR counter. The lock
 * keeps instances from working the same task at once; the token lets Postgres refuse a
 * holder whose lock expired meanwhile. The counter and the lock are separate keys on
 * purpose: in a Redis cluster they may live on different nodes.
 */
export class AssignmentLocks {
  readonly #redis: Redis;
  readonly #keys: DispatchKeys;
  readonly #ttlMs: number;

  constructor(redis: Redis, keys: DispatchKeys, ttlMs: number) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlMs = ttlMs;
  }

  /** Takes the task's lock with a fresh token, or returns undefined when someone holds it. */
  async acquire(taskId: string): Promise<TaskLock | undefined> {
    return (await this.acquireMany([taskId])).get(taskId);
  }

  /**
   * Takes the locks of several tasks in two round trips: fresh tokens from one INCRBY, then
   * every SET NX in one pipeline. Returns the locks taken; a task someone holds is left out.
   */
  async acquireMany(taskIds: readonly string[]): Promise<Map<string, TaskLock>> {
    const taken = new Map<string, TaskLock>();
    if (taskIds.length === 0) return taken;
    const last = await this.#redis.incrby(this.#keys.fencingCounter, taskIds.length);
    const tokens = taskIds.map((_, i) => last - taskIds.length + 1 + i);
    const pipeline = this.#redis.pipeline();
    taskIds.forEach((taskId, i) => pipeline.set(this.#keys.taskLock(taskId), String(tokens[i]), "PX", this.#ttlMs, "NX"));
    const results = await execute(pipeline);
    taskIds.forEach((taskId, i) => {
      if (results[i] === "OK") taken.set(taskId, { taskId, token: tokens[i]! });
    });
    return taken;
  }

  /** Releases those of the locks that are still ours, in one round trip; returns which were. */
  async releaseMany(locks: readonly TaskLock[]): Promise<boolean[]> {
    if (locks.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const lock of locks) pipeline.eval(releaseIfHeld, 1, this.#keys.taskLock(lock.taskId), String(lock.token));
    return (await execute(pipeline)).map((deleted) => deleted === 1);
  }

  /** Releases the lock if it is still ours; returns whether it was. */
  async release(lock: TaskLock): Promise<boolean> {
    const [released] = await this.releaseMany([lock]);
    return released!;
  }

  /** Keeps future tokens above `highestWritten`. */
  async raiseTokensAbove(highestWritten: number): Promise<void> {
    await this.#redis.eval(raiseCounter, 1, this.#keys.fencingCounter, String(highestWritten));
  }
}
