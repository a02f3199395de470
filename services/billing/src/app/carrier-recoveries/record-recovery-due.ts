import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { carrierRecoveryRepository, type RecoveryDue } from "../../adapters/pg/carrier-recovery-repository.ts";
import { recoveryDueOf } from "../../domain/carrier-recovery.ts";
import { startOverdueTimers } from "./recovery-overdue.ts";

/**
 * After-sales recorded a carrier claim settled: the carrier now owes the chain what it agreed,
 * and billing records it as due, once per case (a delivery heard again finds its row and writes
 * nothing), due in full `dueDays` after the settlement: a new one starts its overdue timer in
 * the same transaction (ADR 017, third carrier addendum). One statement for the batch's
 * settlements. Returns how many were new.
 */
export async function recordCarrierRecoveriesDue(tx: pg.ClientBase, events: readonly OrderEvent[], dueDays: number): Promise<number> {
  const recorded = await carrierRecoveryRepository.recordDue(tx, events.flatMap(recoveryDueFrom), dueDays);
  await startOverdueTimers(tx, recorded);
  return recorded.length;
}

function recoveryDueFrom(event: OrderEvent): RecoveryDue[] {
  if (event.type !== EventTypes.CarrierClaimSettled) return [];
  const { caseId, carrier, carrierReference, currency } = event.payload;
  const dueMinor = recoveryDueOf(event.payload);
  if (!caseId || dueMinor === undefined) return [];
  return [{ caseId, orderId: event.orderId, storeId: event.storeId, carrier, carrierReference, dueMinor, currency, settledAt: event.occurredAt.toISOString() }];
}
