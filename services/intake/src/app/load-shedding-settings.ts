/**
 * When intake refuses work instead of queueing it (ADR 009, twenty-eighth-session addendum).
 * Past either threshold intake answers every API request 503 with Retry-After before doing
 * anything for it, and serves again once the signal is back under; 0 turns a signal off.
 *
 * - `INTAKE_SHED_EVENT_LOOP_DELAY_MS` (1,000 unless set): the mean lateness of the event
 *   loop over the last sample. A second late on average means every request waits a second
 *   before intake reads it; at 1,000 orders/s on the slowest machine measured the whole
 *   request took 81.5 ms at p50 and 497 ms at p99 (docs/performance.md).
 * - `INTAKE_SHED_RSS_MB` (300 unless set): resident memory. Intake held 197 MB at 1,000/s
 *   and 222 MB falling behind at 2,000/s; the launcher caps V8's old space at 256 MB, and
 *   about 100 MB of RSS is not the JS heap, so 300 MB is a heap three quarters of the way to
 *   the cap — the collector about to thrash and the process about to die.
 * - `INTAKE_SHED_RETRY_AFTER_SECONDS` (5 unless set): what Retry-After asks of callers.
 */
export const SHED_EVENT_LOOP_DELAY_VARIABLE = "INTAKE_SHED_EVENT_LOOP_DELAY_MS";
export const SHED_RSS_VARIABLE = "INTAKE_SHED_RSS_MB";
export const SHED_RETRY_AFTER_VARIABLE = "INTAKE_SHED_RETRY_AFTER_SECONDS";

export interface LoadShedding {
  /** Mean event-loop delay over a sample above which requests are shed; 0: not watched. */
  maxEventLoopDelayMs: number;
  /** Resident memory above which requests are shed; 0: not watched. */
  maxRssBytes: number;
  /** The Retry-After of a shed request's answer. */
  retryAfterSeconds: number;
  /** How often the signals are sampled (tests shorten it; not an operator's setting). */
  sampleIntervalMs: number;
}

const megabyte = 1024 * 1024;

export const defaultLoadShedding: LoadShedding = { maxEventLoopDelayMs: 1_000, maxRssBytes: 300 * megabyte, retryAfterSeconds: 5, sampleIntervalMs: 1_000 };

export function loadSheddingFromEnv(env: NodeJS.ProcessEnv = process.env): LoadShedding {
  const maxEventLoopDelayMs = wholeNumber(env, SHED_EVENT_LOOP_DELAY_VARIABLE, defaultLoadShedding.maxEventLoopDelayMs, (n) => n <= 60_000, "a whole number of milliseconds from 0 (off) to 60000");
  // Below a process's own idle footprint (120–160 MB, ADR 009) a threshold would shed every request from the start.
  const rssMb = wholeNumber(env, SHED_RSS_VARIABLE, defaultLoadShedding.maxRssBytes / megabyte, (n) => n === 0 || (n >= 100 && n <= 65_536), "0 (off) or a whole number of megabytes from 100 to 65536");
  const retryAfterSeconds = wholeNumber(env, SHED_RETRY_AFTER_VARIABLE, defaultLoadShedding.retryAfterSeconds, (n) => n >= 1 && n <= 300, "a whole number of seconds from 1 to 300");
  return { maxEventLoopDelayMs, maxRssBytes: rssMb * megabyte, retryAfterSeconds, sampleIntervalMs: defaultLoadShedding.sampleIntervalMs };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, inRange: (n: number) => boolean, expected: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!inRange(value)) throw new Error(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
  return value;
}
