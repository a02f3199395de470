// A bounded exponential backoff for Kafka calls that a busy group coordinator, a partition's
// moving leader or a restarting broker may fail for a few seconds; nothing else is retried (kafka-error-kind.ts says which).
// No retry library is a dependency of the repo, and kafkajs' retrier is neither public nor
// selective, so it is this loop, with the wait passed in so specs need no clock.
import { isTransient, kindOfKafkaError, type TransientKafkaErrorKind } from "./kafka-error-kind.ts";

export interface BackoffPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * About 16 s of waiting: a coordinator loads a group's offsets within seconds of a restart; a
 * broker that is down is reported within a quarter minute instead of hanging the operator.
 * No jitter: one operator's one process, nothing to spread.
 */
export const coordinatorBackoff: BackoffPolicy = { attempts: 7, firstDelayMs: 250, maxDelayMs: 8_000 };

export type Sleep = (ms: number) => Promise<void>;
const sleepFor: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The waits between attempts: doubling from the first, never past the most. */
export function backoffDelays(policy: BackoffPolicy): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => Math.min(policy.firstDelayMs * 2 ** i, policy.maxDelayMs));
}

/** A transient error still there after every attempt: which, how often, how long was waited. */
export class TransientKafkaErrorPersisted extends Error {
  override readonly name = "TransientKafkaErrorPersisted";
  readonly kind: TransientKafkaErrorKind;
  readonly attempts: number;
  readonly waitedMs: number;
  constructor(kind: TransientKafkaErrorKind, attempts: number, waitedMs: number, cause: unknown) {
    super(`${kind.kind === "network" ? kind.detail : kind.error} through ${attempts} attempts over ${Math.round(waitedMs / 100) / 10} s`, { cause });
    this.kind = kind;
    this.attempts = attempts;
    this.waitedMs = waitedMs;
  }
}

/** The operation's answer, retrying only transient Kafka errors; anything else is thrown as it came. */
export async function retryWhileTransient<T>(operation: () => Promise<T>, policy: BackoffPolicy = coordinatorBackoff, sleep: Sleep = sleepFor): Promise<T> {
  const delays = backoffDelays(policy);
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const kind = kindOfKafkaError(error);
      if (!isTransient(kind)) throw error;
      if (attempt >= delays.length) throw new TransientKafkaErrorPersisted(kind, attempt + 1, delays.slice(0, attempt).reduce((a, b) => a + b, 0), error);
      await sleep(delays[attempt]!);
    }
  }
}
