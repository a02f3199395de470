import { EventTypes, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import type { CaseWithCarrierClaim } from "../domain/carrier-claim.ts";
import type { AfterSalesCase, CaseEvent } from "../domain/case.ts";
import type { CaseWithRejectedVisit } from "../domain/visit-rejection.ts";

/** Who acted and in which chain: the request's caller and correlation id, or the service's for its timer. */
export interface CaseEventOrigin {
  actor: Actor;
  correlationId: string;
  now: Date;
}

/**
 * A case's domain events as the contract events on `oms.aftersales.case.v1`, keyed by its
 * order (so they land in the order's dossier), carrying the request's actor and chain.
 */
export function caseAnnouncements(c: Pick<AfterSalesCase, "caseId" | "orderId" | "storeId" | "kind" | "lines" | "description">, events: readonly CaseEvent[], origin: CaseEventOrigin): OrderEvent[] {
  const from = { producer: "after-sales", orderId: c.orderId, storeId: c.storeId, actor: origin.actor, correlationId: origin.correlationId, now: origin.now };
  const caseId = c.caseId;
  return events.map((event): OrderEvent => {
    switch (event.type) {
      case "CaseOpened": {
        // The customer's words travel sealed only (ADR 017's sealing addendum): the topic is read by analytics.
        if (!("sealed" in c.description)) throw new Error(`case ${caseId} is announced opened with its description sealed, never in the clear`);
        const o = event.opening;
        const payload = { caseId, kind: o.kind, channel: o.channel, description: "", sealedDescription: Buffer.from(c.description.sealed), lines: o.lines, withinPolicy: o.withinPolicy, policyNote: o.policyNote, respondBy: o.respondBy?.toISOString() ?? "" };
        return newEvent(EventTypes.CaseOpened, payload, from);
      }
      case "CaseAccepted": {
        // The kind and goods ride along: an accepted return or exchange tells the order's store what to expect back (ADR 021).
        const lines = c.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
        return newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: event.assigneeStaffId, note: event.note, kind: c.kind, lines }, from);
      }
      case "CaseDeclined":
        return newEvent(EventTypes.CaseDeclined, { caseId, explanation: event.explanation, byPolicy: event.byPolicy }, from);
      case "ComplaintAnswered":
        return newEvent(EventTypes.ComplaintAnswered, { caseId, answer: event.answer, answeredAt: event.at.toISOString(), late: event.late }, from);
      case "CaseOverdue":
        return newEvent(EventTypes.CaseOverdue, { caseId, respondBy: event.respondBy.toISOString(), escalatedTo: event.escalatedTo }, from);
      case "CaseResolved":
        return newEvent(EventTypes.CaseResolved, { caseId, kind: c.kind, resolution: event.resolution, cause: event.cause, refundMinor: event.refundMinor }, from);
      default: {
        const unknown: never = event;
        throw new Error(`unknown case event ${JSON.stringify(unknown)}`);
      }
    }
  });
}

/**
 * Finance settled a case's refund shortfall: the case id and finance's reference on the case's
 * topic, keyed by its order. The note stays on the case: it is finance's working text, not news.
 */
export function shortfallSettledAnnouncement(c: Pick<AfterSalesCase, "caseId" | "orderId" | "storeId">, reference: string, origin: CaseEventOrigin): OrderEvent {
  const from = { producer: "after-sales", orderId: c.orderId, storeId: c.storeId, actor: origin.actor, correlationId: origin.correlationId, now: origin.now };
  return newEvent(EventTypes.RefundShortfallSettled, { caseId: c.caseId, reference }, from);
}

/**
 * The customer rejected the visit's report (ADR 025, rework addendum): the case, the visit's
 * task, the round the rejection opens and the report rejected, on the case's topic keyed by its
 * order, for dispatch to reopen the task. The reason travels sealed only, as a description does.
 */
export function visitRejectedAnnouncement(c: CaseWithRejectedVisit, origin: CaseEventOrigin): OrderEvent {
  const from = { producer: "after-sales", orderId: c.orderId, storeId: c.storeId, actor: origin.actor, correlationId: origin.correlationId, now: origin.now };
  const rejected = c.visit.pastRounds.at(-1)!;
  if (!("sealed" in rejected.rejection.reason)) throw new Error(`case ${c.caseId}'s visit rejection is announced with its reason sealed, never in the clear`);
  return newEvent(
    EventTypes.VisitRejected,
    { caseId: c.caseId, taskId: c.visit.taskId, round: c.visit.round, rejectedReportId: rejected.report.reportId, sealedReason: Buffer.from(rejected.rejection.reason.sealed) },
    from,
  );
}

/**
 * A case's claim against the carrier as it now stands, announced on the case's topic keyed by
 * its order (so it lands in the order's dossier): filed with the carrier and what is claimed,
 * settled with what came back, or rejected with the carrier's reason.
 */
export function carrierClaimAnnouncement(c: CaseWithCarrierClaim, origin: CaseEventOrigin): OrderEvent {
  const from = { producer: "after-sales", orderId: c.orderId, storeId: c.storeId, actor: origin.actor, correlationId: origin.correlationId, now: origin.now };
  const claim = c.carrierClaim;
  switch (claim.status) {
    case "filed":
      return newEvent(
        EventTypes.CarrierClaimFiled,
        { caseId: c.caseId, carrier: claim.carrier, carrierReference: claim.carrierReference, claimedMinor: claim.claimedMinor, currency: claim.currency },
        from,
      );
    case "settled":
      // The carrier and currency ride along so billing books what is due from this event alone (ADR 017, second carrier addendum).
      return newEvent(
        EventTypes.CarrierClaimSettled,
        {
          caseId: c.caseId,
          claimedMinor: claim.claimedMinor,
          recoveredMinor: claim.recoveredMinor ?? 0,
          carrier: claim.carrier,
          carrierReference: claim.carrierReference,
          currency: claim.currency,
        },
        from,
      );
    case "rejected":
      return newEvent(EventTypes.CarrierClaimRejected, { caseId: c.caseId, reason: claim.rejectionReason ?? "" }, from);
    default: {
      const unknown: never = claim.status;
      throw new Error(`unknown carrier claim status ${JSON.stringify(unknown)}`);
    }
  }
}
