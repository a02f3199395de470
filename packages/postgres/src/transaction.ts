import type pg from "pg";
import { ConflictError } from "@oms/errors";

/** What runs once the transaction a client is in has committed (see afterCommit). */
const commitCallbacks = new WeakMap<pg.ClientBase, (() => void)[]>();

/**
 * Runs `callback` once the transaction `tx` is in has committed, and never if it rolls
 * back: for telling others (in this process) about what only a commit makes visible,
 * such as new outbox rows. Outside withTransaction it runs at once. A callback that
 * throws is reported as an uncaught exception, not as a failure of the commit.
 */
export function afterCommit(tx: pg.ClientBase, callback: () => void): void {
  const callbacks = commitCallbacks.get(tx);
  if (callbacks) callbacks.push(callback);
  else callback();
}

/** Runs `work` in one transaction on a client from the pool; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const callbacks: (() => void)[] = [];
  try {
    await client.query("BEGIN");
    commitCallbacks.set(client, callbacks);
    const result = await work(client);
    await client.query("COMMIT");
    commitCallbacks.delete(client);
    for (const callback of callbacks) queueMicrotask(callback);
    return result;
  } catch (error) {
    commitCallbacks.delete(client);
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      // The connection itself is gone (server restart): the original error is the one to
      // report, and this client must not go back to the pool.
      broken = rollbackError;
    });
    throw translatePgError(error);
  } finally {
    client.release(broken);
  }
}

const SERIALIZATION_FAILURE = "40001";
const DEADLOCK_DETECTED = "40P01";
const UNIQUE_VIOLATION = "23505";

export function isPgError(error: unknown): error is Error & { code: string; constraint?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return isPgError(error) && error.code === UNIQUE_VIOLATION && (!constraint || error.constraint === constraint);
}

/** Serialization failures and deadlocks become ConflictError, which callers may retry. */
function translatePgError(error: unknown): unknown {
  if (isPgError(error) && (error.code === SERIALIZATION_FAILURE || error.code === DEADLOCK_DETECTED)) {
    return new ConflictError("db.concurrent-update", "a concurrent update won; retry", { cause: error });
  }
  return error;
}

/** Retries `work` while it fails with ConflictError, with a small jittered backoff. */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
