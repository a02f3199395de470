import { EventTypes, Topics } from "@oms/contracts";
import { eventsOf, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";
import { judgeExchanges, type ExchangeCaseRow, type ReplacementAnnouncements, type ReplacementLedgerRow, type ReplacementRow, type ReplacementTimelineRow } from "./exchange-judgement.ts";

/**
 * Exchanges and their replacements (ADR 030) as the simulated people asked for them, judged on
 * after-sales' cases, the warehouse's replacements, the warehouse's announcements and
 * fulfillment's timeline (exchange-judgement.ts). The ledger's side — each case's units
 * reserved once, then released or shipped once — is "stock conserved"'s (replacement-ledger.ts).
 */
export async function exchangesReplacedOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every exchange accepted has one replacement, shipped or called off once";
  if (!(await tableExists(context.db, "warehouse", "replacements"))) return skipped(name, "the warehouse keeps no replacements yet");
  const cases = await context.db.query<ExchangeCaseRow>(
    "SELECT case_id, order_id, status, replacement->>'status' AS replacement_status, replacement->>'storeId' AS replacement_store_id FROM after_sales.cases WHERE kind = 'exchange'",
  );
  const replacements = await context.db.query<ReplacementRow>("SELECT case_id, order_id, status, store_id, moved_from_store_id FROM warehouse.replacements");
  // Each case's units by store: a moved replacement is reserved and shipped at the store it moved to, and nowhere else.
  const ledger = await context.db.query<ReplacementLedgerRow>(`
    SELECT case_id, store_id,
           coalesce(sum(quantity) FILTER (WHERE kind = 'reserved'), 0)::int AS reserved,
           coalesce(sum(quantity) FILTER (WHERE kind = 'released'), 0)::int AS released,
           coalesce(sum(quantity) FILTER (WHERE kind = 'shipped'), 0)::int  AS shipped
    FROM warehouse.stock_movements WHERE kind IN ('reserved', 'released', 'shipped') AND case_id IS NOT NULL
    GROUP BY case_id, store_id`);
  // Fulfillment's entries name the case first ("case <id>: …"): timeline-entries.ts.
  const timeline = await context.db.query<ReplacementTimelineRow>(`
    SELECT order_id, substring(detail FROM '^case ([^:]+):') AS case_id, what, count(*)::int AS entries
    FROM fulfillment.timeline WHERE what LIKE 'replacement.%' GROUP BY 1, 2, 3`);
  const { failures, figure } = judgeExchanges({
    cases: cases.rows,
    replacements: replacements.rows,
    timeline: timeline.rows,
    announced: replacementAnnouncements(context),
    ledger: ledger.rows,
    asked: context.exchanges,
  });
  return result(name, failures, figure);
}

/** The warehouse's replacement events by case, a copy republished after a crash counted once. */
export function replacementAnnouncements(context: Pick<CheckContext, "topics" | "planted">): ReplacementAnnouncements {
  const countOf = (...types: (typeof EventTypes)[keyof typeof EventTypes][]) => {
    const seen = new Set<string>();
    const byCase = new Map<string, number>();
    for (const type of types) {
      for (const event of eventsOf(context, Topics.warehouseStock, type)) {
        if (seen.has(event.eventId)) continue;
        seen.add(event.eventId);
        const caseId = (event.payload as { caseId: string }).caseId;
        byCase.set(caseId, (byCase.get(caseId) ?? 0) + 1);
      }
    }
    return byCase;
  };
  return {
    reserved: countOf(EventTypes.ReplacementReserved),
    awaitingStock: countOf(EventTypes.ReplacementAwaitingStock),
    shipped: countOf(EventTypes.ReplacementShipped),
    calledOff: countOf(EventTypes.ReplacementCalledOff),
    moved: countOf(EventTypes.ReplacementMoved),
    shippedFrom: new Map([...eventsOf(context, Topics.warehouseStock, EventTypes.ReplacementShipped)].map((e) => [(e.payload as { caseId: string }).caseId, e.storeId])),
  };
}
