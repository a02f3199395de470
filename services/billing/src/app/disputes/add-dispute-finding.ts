import { EventTypes, newEvent, type Actor, type billingApi } from "@oms/contracts";
import { ConflictError, NotFoundError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { decideFinding } from "../../domain/settlement-dispute.ts";
import { actorLabel, type DisputeDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

/**
 * A department involved says what its records show (DOMAIN.md: disputes are handled with
 * the departments involved). Appended, never changed, with who and when; the caller's
 * finding id makes a retry answer the dispute as it is, and the id with other words is refused.
 */
export async function addDisputeFinding(
  deps: DisputeDeps,
  disputeId: string,
  finding: { findingId: string; text: string },
  actor: Actor,
  correlationId: string,
): Promise<billingApi.SettlementDisputeView> {
  const recordedBy = actorLabel(actor);
  await withTransaction(deps.pool, async (tx) => {
    const dispute = await disputeRepository.lock(tx, disputeId);
    if (!dispute) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${disputeId}`);
    const findingId = finding.findingId.trim();
    const earlier = findingId ? await disputeRepository.findingOf(tx, disputeId, findingId) : undefined;
    if (earlier) {
      if (earlier.finding === finding.text.trim() && earlier.recordedBy === recordedBy) return;
      throw new ConflictError(
        "settlement-dispute.finding-id-reused",
        `finding ${findingId} of dispute ${disputeId} was already recorded by ${earlier.recordedBy} for ${earlier.department}; another finding needs an id of its own`,
      );
    }
    const department = decideFinding(dispute, actor, finding);
    const recordedAt = await disputeRepository.insertFinding(tx, disputeId, { findingId, department, finding: finding.text.trim(), recordedBy });
    const heard = new Set([...dispute.findings.map((f) => f.department), department]);
    await deps.outbox.append(tx, [
      newEvent(
        EventTypes.SettlementDisputeFindingAdded,
        { disputeId, findingId, department, recordedAt: recordedAt.toISOString(), departmentsPending: dispute.departments.filter((d) => !heard.has(d)) },
        { producer: "billing", orderId: dispute.orderId, storeId: dispute.storeId, actor, correlationId },
      ),
    ]);
  });
  // Shown to the caller once the step is written and logged before the answer leaves; should that insert fail, the
  // step stands and a retry (answered as it stands) logs it then.
  const viewer = { shownTo: actorLabel(actor), role: actor.role, correlationId };
  const [view] = await disputeViewsOf(deps.pool, deps.statements, [(await disputeRepository.find(deps.pool, disputeId))!], { viewer });
  return view!;
}
