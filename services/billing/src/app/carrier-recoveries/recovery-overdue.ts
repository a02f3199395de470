import type pg from "pg";
import { EventTypes, newEvent, type Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { ConfigError } from "@oms/service-kit";
import { scheduleTimers } from "@oms/timers";
import { carrierReversalRepository } from "../../adapters/pg/carrier-receipt-reversal-repository.ts";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { shouldAnnounceOverdue } from "../../domain/carrier-recovery-overdue.ts";
import { outstandingOf } from "../../domain/carrier-recovery.ts";

/**
 * One per owed stretch of a recovery (domain/carrier-recovery-overdue.ts), keyed by its case id
 * (the first stretch's, from before stretches were counted) or `<case id>#<stretch>`: at the
 * due-by time, or at once for a stretch opened past it; owing then, CarrierRecoveryOverdue, once
 * per stretch.
 */
export const carrierRecoveryOverdueTimer = "billing.carrier-recovery-overdue";

/** The timer key of a recovery's owed stretch: the first keeps the key timers had before stretches. */
export const overdueTimerKey = (caseId: string, owedStretch: number) => (owedStretch === 1 ? caseId : `${caseId}#${owedStretch}`);

const billing: Actor = { kind: "system", id: "billing", role: "system" };

/** `BILLING_CARRIER_RECOVERY_DUE_DAYS`: how long after a claim's settlement its carrier has to pay in full, default 30; days may be fractional. */
export function carrierRecoveryDueDaysFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.BILLING_CARRIER_RECOVERY_DUE_DAYS;
  if (raw === undefined || raw === "") return 30;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0 || days > 366) {
    throw new ConfigError(`BILLING_CARRIER_RECOVERY_DUE_DAYS must be a number of days above 0 and at most 366, got ${JSON.stringify(raw)}`);
  }
  return days;
}

/** Starts the overdue timers of newly recorded recoveries (their first stretch), in the recording's transaction (a key already there is kept). */
export async function startOverdueTimers(tx: pg.ClientBase, recorded: readonly { caseId: string; orderId: string; dueBy: Date }[]): Promise<void> {
  await scheduleTimers(
    tx,
    recorded.map((r) => ({ kind: carrierRecoveryOverdueTimer, key: overdueTimerKey(r.caseId, 1), orderId: r.orderId, dueAt: r.dueBy, payload: { caseId: r.caseId, owedStretch: 1 } })),
  );
}

/**
 * A reversal left the recovery (locked by the caller), paid in full, owing again: its new owed
 * stretch and that stretch's timer, in the reversal's transaction. The stretch's key is new, so a
 * retried reversal (which reverses nothing) cannot start a second.
 */
export async function chaseOwedAgain(tx: pg.ClientBase, recovery: { caseId: string; orderId: string }, chase: { owedStretch: number; dueAt: Date }): Promise<void> {
  await carrierReversalRepository.openOwedStretch(tx, recovery.caseId, chase.owedStretch);
  const key = overdueTimerKey(recovery.caseId, chase.owedStretch);
  await scheduleTimers(tx, [{ kind: carrierRecoveryOverdueTimer, key, orderId: recovery.orderId, dueAt: chase.dueAt, payload: { caseId: recovery.caseId, owedStretch: chase.owedStretch } }]);
}

/**
 * A stretch's timer came (in the timer's transaction): owing still and the recovery's current
 * stretch not announced, it is marked announced and CarrierRecoveryOverdue goes out. Paid in full
 * by then: nothing, until a reversal opens another stretch. True when announced.
 */
export async function announceOverdueRecovery(tx: pg.ClientBase, outbox: OutboxWriter, caseId: string): Promise<boolean> {
  const recovery = await carrierRecoveryRepository.lock(tx, caseId);
  // A recovery is never deleted: a timer without one is a bug worth the timer's retries.
  if (!recovery) throw new Error(`carrier recovery overdue timer for case ${caseId}, which billing does not hold`);
  if (!shouldAnnounceOverdue(recovery)) return false;
  await carrierReversalRepository.markOverdueAnnounced(tx, caseId);
  const money = (minor: number) => ({ minor, currency: recovery.currency });
  await outbox.append(tx, [
    newEvent(
      EventTypes.CarrierRecoveryOverdue,
      {
        caseId,
        carrier: recovery.carrier,
        carrierReference: recovery.carrierReference,
        due: money(recovery.dueMinor),
        receivedTotal: money(recovery.receivedMinor),
        outstanding: money(outstandingOf(recovery)),
        settledAt: recovery.settledAt.toISOString(),
        dueBy: recovery.dueBy.toISOString(),
      },
      { producer: "billing", orderId: recovery.orderId, storeId: recovery.storeId, actor: billing },
    ),
  ]);
  return true;
}
