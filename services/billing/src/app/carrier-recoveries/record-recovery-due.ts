import type pg from "pg";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { carrierRecoveryRepository, type RecoveryDue } from "../../adapters/pg/carrier-recovery-repository.ts";
import { recoveryDueOf } from "../../domain/carrier-recovery.ts";

/**
 * After-sales recorded a carrier claim settled: the carrier now owes the chain what it agreed,
 * and billing records it as due, once per case (a delivery heard again finds its row and writes
 * nothing). One statement for the batch's settlements. Returns how many were new.
 */
export async function recordCarrierRecoveriesDue(tx: pg.ClientBase, events: readonly OrderEvent[]): Promise<number> {
  return carrierRecoveryRepository.recordDue(tx, events.flatMap(recoveryDueFrom));
}

function recoveryDueFrom(event: OrderEvent): RecoveryDue[] {
  if (event.type !== EventTypes.CarrierClaimSettled) return [];
  const { caseId, carrier, carrierReference, currency } = event.payload;
  const dueMinor = recoveryDueOf(event.payload);
  if (!caseId || dueMinor === undefined) return [];
  return [{ caseId, orderId: event.orderId, storeId: event.storeId, carrier, carrierReference, dueMinor, currency, settledAt: event.occurredAt.toISOString() }];
}
