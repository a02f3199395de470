/**
 * Status pushed back to the marketplace an order came from (DOMAIN.md: external platforms
 * "receive status updates back"): only what the buyer sees, retried with exponential
 * backoff, given up after `maxAttempts` with the failure recorded.
 */

/** The changes a marketplace's buyer sees; internal steps (credit check, reservation, picking) are not pushed. */
export const customerVisibleStatuses: ReadonlySet<string> = new Set([
  "awaiting-confirmation",
  "confirmed",
  "shipped",
  "partially-shipped",
  "partially-delivered",
  "delivered",
  "accepted",
  "completed",
  "closed",
  "on-hold",
  "cancelled",
  "rejected",
  "rework",
]);

export interface StatusPushPolicy {
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const defaultStatusPushPolicy: StatusPushPolicy = { maxAttempts: 8, backoffMs: 1_000, maxBackoffMs: 10 * 60_000 };

export type PushAttemptOutcome =
  | { state: "delivered" }
  | { state: "pending"; retryInMs: number; error: string }
  | { state: "failed"; error: string };

/** What follows attempt number `attempt` (1-based) of a push that succeeded or failed with `error`. */
export function afterPushAttempt(policy: StatusPushPolicy, attempt: number, error: string | undefined): PushAttemptOutcome {
  if (error === undefined) return { state: "delivered" };
  if (attempt >= policy.maxAttempts) return { state: "failed", error };
  return { state: "pending", retryInMs: Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1)), error };
}
