/**
 * When intake refuses work instead of queueing it (ADR 009, twenty-eighth-session addendum).
 * Past either threshold intake answers every API request 503 with Retry-After before doing
 * anything for it, and serves again once the signal is back under; 0 turns a signal off.
 *
 * - `INTAKE_SHED_EVENT_LOOP_DELAY_MS` (1,000 unless set): the mean lateness of the event
 *   loop over the last sample. A second late on average means every request waits a second
 *   before intake reads it; at 1,000 orders/s on the slowest machine measured the whole
 *   request took 81.5 ms at p50 and 497 ms at p99 (docs/performance.md).
 * - `INTAKE_SHED_HEAP_MB` (200 unless set): the JS heap in use. Intake's live heap is
 *   ~40 MB (ADR 009) and the launcher caps its old space at 256 MB, so 200 MB in use is a
 *   heap most of the way to the cap — the collector about to thrash and the process about to
 *   die. Not resident memory: the allocator keeps pages after a peak, so RSS stays high once
 *   the overload is over and a threshold on it would go on shedding an idle intake; the heap
 *   in use falls with the next collection.
 * - `INTAKE_SHED_RETRY_AFTER_SECONDS` (5 unless set): what Retry-After asks of callers.
 */
export const SHED_EVENT_LOOP_DELAY_VARIABLE = "INTAKE_SHED_EVENT_LOOP_DELAY_MS";
export const SHED_HEAP_VARIABLE = "INTAKE_SHED_HEAP_MB";
export const SHED_RETRY_AFTER_VARIABLE = "INTAKE_SHED_RETRY_AFTER_SECONDS";

export interface LoadShedding {
  /** Mean event-loop delay over a sample above which requests are shed; 0: not watched. */
  maxEventLoopDelayMs: number;
  /** JS heap in use above which requests are shed; 0: not watched. */
  maxHeapUsedBytes: number;
  /** The Retry-After of a shed request's answer. */
  retryAfterSeconds: number;
  /** How often the signals are sampled (tests shorten it; not an operator's setting). */
  sampleIntervalMs: number;
}

const megabyte = 1024 * 1024;

export const defaultLoadShedding: LoadShedding = { maxEventLoopDelayMs: 1_000, maxHeapUsedBytes: 200 * megabyte, retryAfterSeconds: 5, sampleIntervalMs: 1_000 };

export function loadSheddingFromEnv(env: NodeJS.ProcessEnv = process.env): LoadShedding {
  const maxEventLoopDelayMs = wholeNumber(env, SHED_EVENT_LOOP_DELAY_VARIABLE, defaultLoadShedding.maxEventLoopDelayMs, (n) => n <= 60_000, "a whole number of milliseconds from 0 (off) to 60000");
  // Near a process's own live heap (~40 MB, ADR 009) a threshold would shed at every collection's peak.
  const heapMb = wholeNumber(env, SHED_HEAP_VARIABLE, defaultLoadShedding.maxHeapUsedBytes / megabyte, (n) => n === 0 || (n >= 100 && n <= 65_536), "0 (off) or a whole number of megabytes from 100 to 65536");
  const retryAfterSeconds = wholeNumber(env, SHED_RETRY_AFTER_VARIABLE, defaultLoadShedding.retryAfterSeconds, (n) => n >= 1 && n <= 300, "a whole number of seconds from 1 to 300");
  return { maxEventLoopDelayMs, maxHeapUsedBytes: heapMb * megabyte, retryAfterSeconds, sampleIntervalMs: defaultLoadShedding.sampleIntervalMs };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, inRange: (n: number) => boolean, expected: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!inRange(value)) throw new Error(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
  return value;
}
