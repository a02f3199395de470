import type pg from "pg";
import { ConflictError, DomainError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "./transaction.ts";

/** One entry's outcome inside a batch: its value, or the error that concerns it alone. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface TransactionBatching {
  /** Batches committing at the same time; a request arriving while all are busy waits for the next. */
  maxInFlight: number;
  /** At most this many requests in one transaction. 1 turns batching off. */
  maxBatch: number;
}

export interface TransactionBatcherDeps<In, Out> {
  pool: pg.Pool;
  /**
   * Does the requests' work in `tx`, which commits afterwards. A request whose own input
   * is refused (a domain error) settles with that error and the others go on; throwing
   * fails the whole transaction, and each request is then tried in a transaction of its own.
   */
  applyTogether(tx: pg.ClientBase, inputs: readonly In[]): Promise<Settled<Out>[]>;
  /** Told (warn) when a batch failed as a whole and its requests are retried one by one: what, how many, the SQLSTATE or code. */
  logger?: Logger;
  /** What the requests are, for that log line (e.g. "order commands"). */
  name?: string;
  /** Told when a batch failed as a whole and its requests were retried one by one. */
  onFallback?(size: number, error: unknown): void;
}

interface Waiting<In, Out> {
  input: In;
  resolve(value: Out): void;
  reject(error: unknown): void;
}

/**
 * People's commands committed together when they come faster than commits do. A
 * request starts a transaction at once while fewer than `maxInFlight` are committing, so
 * alone it waits for nothing; under load, the requests that arrive while every slot is
 * busy go together into the next transaction: one lock statement, one write per table
 * and one commit for all of them instead of each (ARCHITECTURE.md: a commit costs far
 * more than a row). Each request still gets its own answer or its own error.
 */
export class TransactionBatcher<In, Out> {
  readonly #deps: TransactionBatcherDeps<In, Out>;
  readonly #options: TransactionBatching;
  #waiting: Waiting<In, Out>[] = [];
  /**
   * Requests of a batch that failed as a whole, each to be tried in a transaction of its
   * own. They take the free slots like any batch, ahead of the waiting ones (they came
   * first), so a fallback never commits more than `maxInFlight` transactions at once.
   */
  #retryAlone: Waiting<In, Out>[] = [];
  #inFlight = 0;

  constructor(deps: TransactionBatcherDeps<In, Out>, options: TransactionBatching) {
    if (!(options.maxInFlight >= 1) || !(options.maxBatch >= 1)) throw new Error("maxInFlight and maxBatch must be at least 1");
    this.#deps = deps;
    this.#options = options;
  }

  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      this.#startNext();
    });
  }

  /**
   * Requests that come together (a clerk's wave): queued at once, so they share
   * transactions of up to `maxBatch` instead of the first few each starting one alone.
   * Each settles on its own, as with `run`.
   */
  runAll(inputs: readonly In[]): Promise<PromiseSettledResult<Out>[]> {
    const answers = inputs.map((input) => new Promise<Out>((resolve, reject) => this.#waiting.push({ input, resolve, reject })));
    this.#startNext();
    return Promise.allSettled(answers);
  }

  #startNext(): void {
    while (this.#inFlight < this.#options.maxInFlight && (this.#retryAlone.length > 0 || this.#waiting.length > 0)) {
      const batch = this.#retryAlone.length > 0 ? this.#retryAlone.splice(0, 1) : this.#waiting.splice(0, this.#options.maxBatch);
      this.#inFlight += 1;
      void this.#commit(batch).finally(() => {
        this.#inFlight -= 1;
        this.#startNext();
      });
    }
  }

  async #commit(batch: Waiting<In, Out>[]): Promise<void> {
    let settled: Settled<Out>[];
    try {
      settled = await this.#apply(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // The code only: a driver's message may quote a request's content.
      const code = (error as { code?: unknown }).code;
      this.#deps.logger?.warn({ batch: this.#deps.name ?? "requests", size: batch.length, code }, "a batch failed as a whole; each request is retried alone");
      this.#deps.onFallback?.(batch.length, error);
      // Started as slots free up, this one's first once it is released (#startNext).
      this.#retryAlone.push(...batch);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = settled[i];
      if (!outcome) waiting.reject(new Error("a batched transaction gave no outcome for a request"));
      else if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  /** Alone, a request retries a concurrent-update conflict as any transaction would; a batch falls back instead. */
  #apply(batch: Waiting<In, Out>[]): Promise<Settled<Out>[]> {
    const inputs = batch.map((waiting) => waiting.input);
    const once = () => withTransaction(this.#deps.pool, (tx) => this.#deps.applyTogether(tx, inputs));
    return batch.length === 1 ? retryOnConflict(once) : once();
  }
}

/**
 * Settles one request's work inside a batch: its value, or the domain error that refuses
 * it (an illegal step, a missing order), which leaves the transaction fit for the others.
 * Anything else is thrown on and fails the batch: a database error has aborted the
 * transaction for everyone, and a conflict or a bug is for the one-by-one retry to settle.
 */
export async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof DomainError && !(error instanceof ConflictError)) return { ok: false, error };
    throw error;
  }
}

/** One request of a bulk call, answered: its value, or the domain error that refused it alone. */
export type Answered<T> = { ok: true; value: T } | { ok: false; refusal: DomainError };

/**
 * A bulk call's answers from `runAll`: each request's value or its own refusal. Any other
 * failure (the database gone) fails the whole call, which is safe to send again since a
 * step already taken is refused on its repeat, never taken twice.
 */
export function answeredOrThrow<T>(answers: readonly PromiseSettledResult<T>[]): Answered<T>[] {
  const failure = answers.find((answer): answer is PromiseRejectedResult => answer.status === "rejected" && !(answer.reason instanceof DomainError));
  if (failure) throw failure.reason;
  return answers.map((answer) => (answer.status === "fulfilled" ? { ok: true, value: answer.value } : { ok: false, refusal: (answer as PromiseRejectedResult).reason as DomainError }));
}
