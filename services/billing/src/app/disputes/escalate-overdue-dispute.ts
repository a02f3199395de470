import type pg from "pg";
import { EventTypes, newEvent, type Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { shouldEscalate } from "../../domain/settlement-dispute.ts";

const billing: Actor = { kind: "system", id: "billing", role: "system" };

/**
 * A dispute's respond-by time passed (its timer, in the timer's transaction): still open, it
 * is marked escalated and `SettlementDisputeEscalated` goes to the store manager, once, in
 * the chain of the request that opened it. Resolved or escalated meanwhile: nothing.
 */
export async function escalateOverdueDispute(tx: pg.ClientBase, outbox: OutboxWriter, disputeId: string): Promise<boolean> {
  const dispute = await disputeRepository.lock(tx, disputeId);
  // A dispute is never deleted: a timer without one is a bug worth the timer's retries.
  if (!dispute) throw new Error(`dispute response timer for dispute ${disputeId}, which does not exist`);
  if (!shouldEscalate(dispute)) return false;
  await disputeRepository.markEscalated(tx, disputeId);
  await outbox.append(tx, [
    newEvent(
      EventTypes.SettlementDisputeEscalated,
      { disputeId, kind: dispute.kind, respondBy: dispute.respondBy.toISOString(), escalatedTo: "store-manager" },
      { producer: "billing", orderId: dispute.orderId, storeId: dispute.storeId, actor: billing, correlationId: dispute.correlationId },
    ),
  ]);
  return true;
}
