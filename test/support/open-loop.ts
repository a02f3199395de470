/**
 * Open-loop load: request i is due at start + i / rate whatever happened to the ones
 * before, and its latency is measured from that due time. A closed loop (send, wait,
 * send) slows down with the system and hides its stalls (coordinated omission); this
 * one keeps offering the load and charges every stall to the requests that waited.
 */
export interface OpenLoopResult<T> {
  index: number;
  /** performance.now() when the request was due. */
  dueAt: number;
  finishedAt: number;
  latencyMs: number;
  value?: T;
  error?: Error;
}

export interface OpenLoopOptions<T> {
  /** Requests per second. */
  rate: number;
  durationMs: number;
  /** Beyond this many requests in flight new ones are not sent but counted as dropped (the generator's own limit). */
  maxOutstanding?: number;
  send: (index: number) => Promise<T>;
  onResult: (result: OpenLoopResult<T>) => void;
  signal?: AbortSignal;
}

export interface OpenLoopSummary {
  offered: number;
  sent: number;
  dropped: number;
  /** How far behind schedule the generator itself fell at worst (ms): a loaded load generator. */
  worstSendLagMs: number;
}

export async function runOpenLoop<T>(options: OpenLoopOptions<T>): Promise<OpenLoopSummary> {
  const maxOutstanding = options.maxOutstanding ?? 20_000;
  const total = Math.max(0, Math.floor((options.rate * options.durationMs) / 1000));
  const interval = 1000 / options.rate;
  const start = performance.now();
  let next = 0;
  let outstanding = 0;
  let dropped = 0;
  let worstSendLagMs = 0;
  let allDone: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));

  const fire = (index: number, dueAt: number) => {
    outstanding++;
    const settle = (value: T | undefined, error: Error | undefined) => {
      const finishedAt = performance.now();
      outstanding--;
      options.onResult({ index, dueAt, finishedAt, latencyMs: finishedAt - dueAt, ...(error ? { error } : { value: value as T }) });
      if (next >= total && outstanding === 0) allDone?.();
    };
    let pending: Promise<T>;
    try {
      pending = options.send(index);
    } catch (error) {
      settle(undefined, error as Error);
      return;
    }
    pending.then(
      (value) => settle(value, undefined),
      (error: unknown) => settle(undefined, error instanceof Error ? error : new Error(String(error))),
    );
  };

  while (next < total && !options.signal?.aborted) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / interval) + 1);
    for (; next < due; next++) {
      const dueAt = start + next * interval;
      worstSendLagMs = Math.max(worstSendLagMs, now - dueAt);
      if (outstanding >= maxOutstanding) dropped++;
      else fire(next, dueAt);
    }
    if (next < total) await sleep(Math.max(1, Math.min(20, start + next * interval - performance.now())));
  }
  const offered = next;
  next = total;
  if (outstanding > 0) await finished;
  return { offered, sent: offered - dropped, dropped, worstSendLagMs };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
