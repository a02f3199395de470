import type pg from "pg";
import { EventTypes, newEvent, type Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { ConfigError } from "@oms/service-kit";
import { scheduleTimers } from "@oms/timers";
import { carrierReversalRepository } from "../../adapters/pg/carrier-receipt-reversal-repository.ts";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { shouldAnnounceOverdue } from "../../domain/carrier-receipt-reversal.ts";
import { outstandingOf } from "../../domain/carrier-recovery.ts";

/** Keyed by case id: the recovery's due-by time; unpaid in full then, CarrierRecoveryOverdue (once). */
export const carrierRecoveryOverdueTimer = "billing.carrier-recovery-overdue";

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

/** Starts the overdue timers of newly recorded recoveries, in the recording's transaction (a key already there is kept). */
export async function startOverdueTimers(tx: pg.ClientBase, recorded: readonly { caseId: string; orderId: string; dueBy: Date }[]): Promise<void> {
  await scheduleTimers(
    tx,
    recorded.map((r) => ({ kind: carrierRecoveryOverdueTimer, key: r.caseId, orderId: r.orderId, dueAt: r.dueBy, payload: { caseId: r.caseId } })),
  );
}

/**
 * A recovery's due-by time passed (its timer, in the timer's transaction): not paid in full, it
 * is marked announced and CarrierRecoveryOverdue goes out, once. Paid in full by then: nothing,
 * and a later reversal or payment does not arm it again. True when announced.
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
