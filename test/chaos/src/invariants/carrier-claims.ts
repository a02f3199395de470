import { EventTypes, Topics } from "@oms/contracts";
import { eventsOf, result, skipped, type CheckContext, type InvariantResult } from "./context.ts";
import { judgeCarrierClaims, type ClaimAnnouncements, type ClaimCaseRow } from "./carrier-claim-judgement.ts";

/**
 * Claims against the carrier (ADR 017's carrier-claim addendum) as the simulated desk filed them
 * on exchanges it resolved as the carrier's damage and finance answered them, judged on
 * after-sales' cases, intake's order totals and the case topic (carrier-claim-judgement.ts).
 */
export async function carrierClaimsOnce(context: CheckContext): Promise<InvariantResult> {
  const name = "every carrier claim filed once, answered at most once, within its order's total";
  const { rows: columns } = await context.db.query(
    "SELECT 1 FROM information_schema.columns WHERE table_schema = 'after_sales' AND table_name = 'cases' AND column_name = 'carrier_claim_status'",
  );
  if (columns.length === 0) return skipped(name, "after-sales keeps no carrier claims yet");
  const cases = await context.db.query<ClaimCaseRow>(`
    SELECT c.case_id, c.order_id, c.status, c.cause, c.carrier_claim_status AS claim_status,
           c.carrier_claim_claimed_minor::float8 AS claimed_minor, c.carrier_claim_recovered_minor::float8 AS recovered_minor,
           coalesce(i.grand_total_minor, 0)::float8 AS order_total_minor
    FROM after_sales.cases c LEFT JOIN intake.orders i ON i.order_id = c.order_id
    WHERE c.carrier_claim_status IS NOT NULL OR (c.status = 'resolved' AND c.cause = 'carrier')`);
  const { failures, figure } = judgeCarrierClaims({ cases: cases.rows, announced: claimAnnouncements(context), asked: context.exchanges });
  return result(name, failures, figure);
}

/** The claim events by case, a copy republished after a crash counted once. */
export function claimAnnouncements(context: Pick<CheckContext, "topics" | "planted">): ClaimAnnouncements {
  const countOf = (type: (typeof EventTypes)[keyof typeof EventTypes]) => {
    const seen = new Set<string>();
    const byCase = new Map<string, number>();
    for (const event of eventsOf(context, Topics.afterSalesCase, type)) {
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      const caseId = (event.payload as { caseId: string }).caseId;
      byCase.set(caseId, (byCase.get(caseId) ?? 0) + 1);
    }
    return byCase;
  };
  return { filed: countOf(EventTypes.CarrierClaimFiled), settled: countOf(EventTypes.CarrierClaimSettled), rejected: countOf(EventTypes.CarrierClaimRejected) };
}
