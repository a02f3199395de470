import type pg from "pg";
import { ConfigError } from "@oms/service-kit";
import { cancelTimerUnlessFiring, scheduleTimer } from "@oms/timers";

/** Keyed by dispute id: the dispute is due an answer by then, else the store manager hears of it (once). */
export const disputeResponseTimer = "billing.settlement-dispute-response";

/** `BILLING_DISPUTE_RESPONSE_HOURS`: how long the departments and finance have to resolve a dispute, default 72; hours may be fractional. */
export function disputeResponseHoursFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.BILLING_DISPUTE_RESPONSE_HOURS;
  if (raw === undefined || raw === "") return 72;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 90) {
    throw new ConfigError(`BILLING_DISPUTE_RESPONSE_HOURS must be a number of hours above 0 and at most 2160 (90 days), got ${JSON.stringify(raw)}`);
  }
  return hours;
}

/** Starts a dispute's response timer in the opening's transaction. */
export async function startDisputeTimer(tx: pg.ClientBase, dispute: { disputeId: string; orderId: string; respondBy: Date }): Promise<void> {
  await scheduleTimer(tx, { kind: disputeResponseTimer, key: dispute.disputeId, orderId: dispute.orderId, dueAt: dispute.respondBy, payload: { disputeId: dispute.disputeId } });
}

/**
 * Calls the timer off in the resolution's transaction, which holds the dispute's row. A
 * timer a poller holds meanwhile is not waited for — the poller takes the timer's row before
 * the dispute's, so waiting would deadlock, and would keep finance waiting for the poller's
 * whole batch (the daily reconciliation among it): it fires, waits for the dispute's row and
 * finds the dispute resolved. Nothing is escalated either way.
 */
export async function callOffDisputeTimer(tx: pg.ClientBase, disputeId: string): Promise<void> {
  await cancelTimerUnlessFiring(tx, disputeResponseTimer, disputeId);
}
