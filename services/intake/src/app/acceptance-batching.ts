import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { commitAcceptances, type Acceptance, type CommitAcceptance } from "./commands/accept-order.ts";

export interface AcceptanceBatching {
  /** How long the first request of a batch waits for others to join it. */
  maxWaitMs: number;
  /** A batch this full is committed at once, without waiting. 1 turns batching off. */
  maxBatch: number;
}

export const defaultAcceptanceBatching: AcceptanceBatching = { maxWaitMs: 5, maxBatch: 100 };

export interface AcceptanceBatcher {
  commit: CommitAcceptance;
  /** Commits what is waiting and waits for every batch under way. */
  drain(): Promise<void>;
}

interface Waiting {
  acceptance: Acceptance;
  resolve(created: boolean): void;
  reject(error: unknown): void;
}

/**
 * Concurrent acceptances committed together: one statement, and so one transaction and
 * one commit, for everything that arrives within `maxWaitMs`, up to `maxBatch`
 * (ARCHITECTURE.md: a commit costs far more than a row). Each request still
 * gets its own answer: whether its order was new. A duplicate inside a batch, or of a
 * committed order, is "not new", as it would be alone, and its request then reads the
 * winner. If the batch's transaction fails, its requests are committed one by one, so a
 * request that cannot be stored fails alone and the others do not notice.
 */
export function acceptanceBatcher(
  deps: { pool: pg.Pool; outbox: OutboxWriter; logger: Logger; onBatch?: (size: number, fellBack: boolean) => void },
  options: AcceptanceBatching = defaultAcceptanceBatching,
): AcceptanceBatcher {
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  const underWay = new Set<Promise<void>>();

  const commitAlone = async ({ acceptance, resolve, reject }: Waiting) => {
    try {
      const [created = false] = await commitAcceptances(deps, [acceptance]);
      resolve(created);
    } catch (error) {
      reject(error);
    }
  };

  const commitTogether = async (batch: Waiting[]) => {
    if (batch.length === 1) {
      deps.onBatch?.(1, false);
      return commitAlone(batch[0]!);
    }
    let created: boolean[];
    try {
      created = await commitAcceptances(deps, batch.map((w) => w.acceptance));
    } catch (error) {
      // The SQLSTATE only: a driver's message may quote a request's content.
      deps.logger.warn({ size: batch.length, sqlState: (error as { code?: unknown }).code }, "a batch of acceptances failed; committing them one by one");
      deps.onBatch?.(batch.length, true);
      await Promise.all(batch.map(commitAlone));
      return;
    }
    deps.onBatch?.(batch.length, false);
    batch.forEach((w, i) => w.resolve(created[i] ?? false));
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const run = commitTogether(batch).finally(() => underWay.delete(run));
    underWay.add(run);
  };

  return {
    commit: (acceptance) =>
      new Promise<boolean>((resolve, reject) => {
        waiting.push({ acceptance, resolve, reject });
        if (waiting.length >= options.maxBatch) flush();
        else timer ??= setTimeout(flush, options.maxWaitMs);
      }),
    drain: async () => {
      flush();
      await Promise.all(underWay);
    },
  };
}

/** Batching from the environment: INTAKE_ACCEPTANCE_BATCH_WAIT_MS, INTAKE_ACCEPTANCE_BATCH_MAX. */
export function acceptanceBatchingFromEnv(env: NodeJS.ProcessEnv = process.env): AcceptanceBatching {
  const number = (key: string, fallback: number, min: number, max: number) => {
    const raw = env[key];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return value;
  };
  return {
    maxWaitMs: number("INTAKE_ACCEPTANCE_BATCH_WAIT_MS", defaultAcceptanceBatching.maxWaitMs, 0, 1_000),
    maxBatch: number("INTAKE_ACCEPTANCE_BATCH_MAX", defaultAcceptanceBatching.maxBatch, 1, 1_000),
  };
}
