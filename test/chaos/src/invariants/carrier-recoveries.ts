import { EventTypes, Topics } from "@oms/contracts";
import { eventsOf, result, skipped, type CheckContext, type InvariantResult } from "./context.ts";
import { judgeCarrierRecoveries, type ReceiptAnnouncement, type ReceiptRow, type RecoveryRow, type SettledClaimRow } from "./carrier-recovery-judgement.ts";
import type { ReversalAnnouncement, ReversalRow } from "./carrier-reversal-judgement.ts";
import { judgeRemittances, type AllocationRow, type RemittanceRow } from "./carrier-remittance-judgement.ts";

/**
 * The money carriers agreed to pay on settled claims, as billing keeps it (ADR 017, second
 * carrier addendum) and finance booked the carriers' payments through the faults: judged on
 * after-sales' settled claims, billing's recoveries, receipts and their reversals (third
 * carrier addendum), and billing's topic
 * (carrier-recovery-judgement.ts).
 */
export async function carrierRecoveriesBookedOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every settled carrier claim has one recovery in billing, its receipts within what was agreed and announced once each";
  const { rows: tables } = await context.db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'billing' AND table_name = 'carrier_recoveries'");
  if (tables.length === 0) return skipped(name, "billing keeps no carrier recoveries yet");
  const settled = await context.db.query<SettledClaimRow>(
    `SELECT case_id, order_id, store_id, carrier_claim_recovered_minor::float8 AS recovered_minor
     FROM after_sales.cases WHERE carrier_claim_status = 'settled'`,
  );
  const recoveries = await context.db.query<RecoveryRow>(
    "SELECT case_id, order_id, store_id, due_minor::float8 AS due_minor, received_minor::float8 AS received_minor FROM billing.carrier_recoveries",
  );
  const receipts = await context.db.query<ReceiptRow>("SELECT reference, case_id, amount_minor::float8 AS amount_minor FROM billing.carrier_recovery_receipts");
  // Reversals of receipts booked in error (ADR 017, third carrier addendum; billing's migration 015).
  const { rows: reversalTable } = await context.db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'billing' AND table_name = 'carrier_recovery_reversals'");
  const reversals =
    reversalTable.length === 0
      ? []
      : (await context.db.query<ReversalRow>("SELECT reference, case_id, amount_minor::float8 AS amount_minor FROM billing.carrier_recovery_reversals")).rows;
  const { failures, figure } = judgeCarrierRecoveries({
    settled: settled.rows,
    recoveries: recoveries.rows,
    receipts: receipts.rows,
    announced: receiptAnnouncements(context),
    reversals,
    reversalsAnnounced: reversalAnnouncements(context),
    asked: context.exchanges,
  });
  const remitted = judgeRemittances({ ...(await remittancesOf(context)), asked: context.exchanges });
  return result(name, [...failures, ...remitted.failures], `${figure}; ${remitted.figure}`);
}

/** Billing's remittances and their allocations' receipts (migrations 017 and 018; none before them). */
async function remittancesOf(context: CheckContext): Promise<{ remittances: RemittanceRow[]; allocations: AllocationRow[] }> {
  const { rows: tables } = await context.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'billing' AND table_name IN ('carrier_remittances', 'carrier_remittance_reversals')",
  );
  const held = new Set(tables.map((t) => t.table_name));
  if (!held.has("carrier_remittances")) return { remittances: [], allocations: [] };
  const reversedWhole = held.has("carrier_remittance_reversals") ? "EXISTS (SELECT 1 FROM billing.carrier_remittance_reversals v WHERE v.reference = m.reference)" : "false";
  const remittances = await context.db.query<RemittanceRow>(`SELECT m.reference, m.total_minor::float8 AS total_minor, ${reversedWhole} AS reversed_whole FROM billing.carrier_remittances m`);
  const allocations = await context.db.query<AllocationRow>(
    `SELECT r.reference, r.remittance, r.amount_minor::float8 AS amount_minor, EXISTS (SELECT 1 FROM billing.carrier_recovery_reversals v WHERE v.reference = r.reference) AS reversed
     FROM billing.carrier_recovery_receipts r WHERE r.remittance IS NOT NULL`,
  );
  return { remittances: remittances.rows, allocations: allocations.rows };
}

/** CarrierRecoveryReceived by reference, a copy republished after a crash counted once. */
function receiptAnnouncements(context: Pick<CheckContext, "topics" | "planted">): Map<string, ReceiptAnnouncement> {
  const seen = new Set<string>();
  const byReference = new Map<string, ReceiptAnnouncement>();
  for (const event of eventsOf(context, Topics.billingSettlement, EventTypes.CarrierRecoveryReceived)) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const payload = event.payload as { caseId: string; reference: string; received?: { minor: number } };
    const earlier = byReference.get(payload.reference);
    if (earlier) earlier.times++;
    else byReference.set(payload.reference, { caseId: payload.caseId, amountMinor: Number(payload.received?.minor ?? 0), times: 1 });
  }
  return byReference;
}

/** CarrierReceiptReversed by reference, a copy republished after a crash counted once. */
function reversalAnnouncements(context: Pick<CheckContext, "topics" | "planted">): Map<string, ReversalAnnouncement> {
  const seen = new Set<string>();
  const byReference = new Map<string, ReversalAnnouncement>();
  for (const event of eventsOf(context, Topics.billingSettlement, EventTypes.CarrierReceiptReversed)) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const payload = event.payload as { caseId: string; reference: string; reversed?: { minor: number } };
    const earlier = byReference.get(payload.reference);
    if (earlier) earlier.times++;
    else byReference.set(payload.reference, { caseId: payload.caseId, amountMinor: Number(payload.reversed?.minor ?? 0), times: 1 });
  }
  return byReference;
}
