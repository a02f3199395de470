import { EventTypes, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { TimelineEntry } from "../adapters/pg/timeline-repository.ts";
import { customersMaySee, type TimelineFacts, type TimelineKind } from "../domain/timeline-kinds.ts";

/**
 * A step as the timeline records it: staff's wording (what, detail), its kind, and for a kind
 * customers see the facts their wording is built from (ADR 022, twenty-seventh-session addendum).
 */
interface Step {
  what: string;
  detail: string;
  kind: TimelineKind;
  facts?: TimelineFacts;
}

/** What an order's timeline says of each event, fulfillment's own and every other service's. */
const whatOf: Record<string, (event: OrderEvent) => Step> = {
  [EventTypes.OrderCreated]: () => ({ what: "order.created", detail: "", kind: "order-created" }),
  [EventTypes.OrderStatusChanged]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderStatusChanged }>).payload;
    // The reason is staff's or a rule's words (who it was assigned to, a hold's cause): the customer is told the status, and
    // their own words when the step was theirs (a refused delivery's reasons), which are no one else's.
    const theirs: TimelineFacts = e.actor.kind === "customer" && p.reason ? { customersWords: p.reason } : {};
    return { what: `order.${p.toStatus}`, detail: p.reason, kind: "order-status-changed", facts: { status: p.toStatus, ...theirs } };
  },
  [EventTypes.StockReservationRequested]: () => ({ what: "stock.reservation-requested", detail: "", kind: "service-request" }),
  [EventTypes.StockReleaseRequested]: () => ({ what: "stock.release-requested", detail: "", kind: "service-request" }),
  [EventTypes.AssignmentRequested]: () => ({ what: "assignment.requested", detail: "", kind: "service-request" }),
  [EventTypes.SettlementRequested]: () => ({ what: "settlement.requested", detail: "", kind: "service-request" }),
  // The reason is the canceller's words; the customer is told the code (ADR 022, twenty-seventh-session addendum).
  [EventTypes.OrderCancelled]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCancelled }>).payload;
    return { what: "order.cancellation", detail: p.reason, kind: "order-cancelled", facts: { reasonCode: p.reasonCode ?? "" } };
  },
  [EventTypes.OrderReceived]: () => ({ what: "order.received", detail: "accepted by intake", kind: "order-received" }),
  [EventTypes.OrderReviewRequested]: (e) => ({
    kind: "review",
    what: "order.review-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewRequested }>).payload.reasons.join("; "),
  }),
  [EventTypes.OrderReviewApproved]: (e) => ({
    kind: "review",
    what: "order.review-approved",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewApproved }>).payload.note,
  }),
  [EventTypes.OrderReviewRejected]: (e) => ({
    kind: "review",
    what: "order.review-rejected",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewRejected }>).payload.reason,
  }),
  [EventTypes.StockReserved]: (e) => {
    const { routing, parts } = (e as Extract<OrderEvent, { type: typeof EventTypes.StockReserved }>).payload;
    if (parts.length === 0) return { what: "stock.reserved", detail: routing.join("; "), kind: "stock-routing" };
    const split = parts.map((p, i) => `part ${i + 1} at ${p.storeId}: ${p.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}`).join("; ");
    return { what: "stock.reserved-split", detail: [split, ...routing].join("; "), kind: "stock-routing" };
  },
  [EventTypes.ReservationRejected]: (e) => ({
    kind: "stock-routing",
    what: "stock.rejected-by-store",
    detail: `${e.storeId}: ${(e as Extract<OrderEvent, { type: typeof EventTypes.ReservationRejected }>).payload.reason}`,
  }),
  [EventTypes.OrderRouted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderRouted }>).payload;
    return { what: "order.routed", detail: `from ${p.fromStoreId} to ${p.toStoreId}`, kind: "stock-routing" };
  },
  [EventTypes.StockShortage]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StockShortage }>).payload;
    const lines = p.lines.map((l) => `${l.sku}: ${l.available} of ${l.requested} available${l.expectedRestockDate ? `, restock expected ${l.expectedRestockDate}` : ""}`);
    const skus = p.lines.map((l) => l.sku).join(", ");
    return { what: "stock.shortage", detail: [...lines, ...p.routing].join("; "), kind: "stock-shortage", facts: { skus } };
  },
  [EventTypes.StockReleased]: () => ({ what: "stock.released", detail: "", kind: "warehouse-step" }),
  [EventTypes.ShipmentDispatched]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentDispatched }>).payload;
    return { what: "shipment.dispatched", detail: p.trackingNumber, kind: "shipment-dispatched", facts: { carrier: p.carrier, trackingNumber: p.trackingNumber } };
  },
  [EventTypes.TaskAssigned]: (e) => ({ what: "task.assigned", detail: (e as Extract<OrderEvent, { type: typeof EventTypes.TaskAssigned }>).payload.staffId, kind: "staff-task" }),
  [EventTypes.TaskQueued]: (e) => ({ what: "task.queued", detail: (e as Extract<OrderEvent, { type: typeof EventTypes.TaskQueued }>).payload.reason, kind: "staff-task" }),
  [EventTypes.AssignmentAcknowledged]: () => ({ what: "task.acknowledged", detail: "", kind: "staff-task" }),
  [EventTypes.AssignmentDeclined]: (e) => ({
    kind: "staff-task",
    what: "task.declined",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentDeclined }>).payload.reason,
  }),
  [EventTypes.ServiceReportSubmitted]: () => ({ what: "service.report-submitted", detail: "self-inspection passed", kind: "service-reported" }),
  [EventTypes.AssignmentExpired]: () => ({ what: "task.acknowledgement-missed", detail: "reassigned", kind: "staff-task" }),
  [EventTypes.AssignmentWithdrawn]: (e) => ({
    kind: "staff-task",
    what: "task.withdrawn",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentWithdrawn }>).payload.reason,
  }),
  [EventTypes.SettlementPrepared]: (e) => ({
    kind: "settlement",
    what: "settlement.prepared",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementPrepared }>).payload.status,
  }),
  [EventTypes.PaymentConfirmed]: () => ({ what: "payment.confirmed", detail: "", kind: "payment-confirmed" }),
  [EventTypes.OrderSettled]: () => ({ what: "settlement.settled", detail: "", kind: "settlement" }),
  [EventTypes.StockReceived]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StockReceived }>).payload;
    return { what: "stock.received", detail: `${p.quantity} × ${p.sku}`, kind: "warehouse-step" };
  },
  [EventTypes.OrderFollowUpRequested]: (e) => ({
    kind: "follow-up",
    what: "order.follow-up-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderFollowUpRequested }>).payload.reason,
  }),
  [EventTypes.OrderEscalated]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderEscalated }>).payload;
    return { what: "order.escalated", detail: `${p.reason} (to ${p.escalatedTo})`, kind: "escalation" };
  },
  [EventTypes.ShipmentRequested]: () => ({ what: "shipment.requested", detail: "", kind: "service-request" }),
  [EventTypes.CreditDecided]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CreditDecided }>).payload;
    return { what: p.approved ? "credit.approved" : "credit.refused", detail: p.reason, kind: "credit" };
  },
  [EventTypes.CollectionStarted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CollectionStarted }>).payload;
    return { what: "collection.started", detail: `${p.outstanding?.minor ?? 0} ${p.outstanding?.currency ?? ""} owed: ${p.reason}`, kind: "collection" };
  },
  [EventTypes.InvoiceIssued]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.InvoiceIssued }>).payload;
    const against = p.corrects ? ` against ${p.corrects}` : "";
    return { what: `invoice.${p.kind}-issued`, detail: `${p.invoiceNumber}${against}: ${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""}, tax ${p.tax?.minor ?? 0}`, kind: "invoice" };
  },
  // Finance's working notes stay in billing (ADR 023): the timeline, which the customer reads too, says only the kind and the correction.
  [EventTypes.ReconciliationDifferenceFound]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReconciliationDifferenceFound }>).payload;
    return { what: "reconciliation.difference-found", detail: p.kind, kind: "reconciliation" };
  },
  [EventTypes.ReconciliationDifferenceExplained]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReconciliationDifferenceExplained }>).payload;
    return { what: "reconciliation.difference-explained", detail: `${p.kind}: ${p.correction}`, kind: "reconciliation" };
  },
  // Settlement disputes (ADR 026): the kind, the departments and the outcome; the statement, findings and answers stay in billing.
  [EventTypes.SettlementDisputeOpened]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeOpened }>).payload;
    return { what: "settlement.dispute-opened", detail: `${p.kind}: ${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""} with ${p.departments.join(", ")}, answer due ${p.respondBy}`, kind: "settlement-dispute" };
  },
  [EventTypes.SettlementDisputeFindingAdded]: (e) => ({
    kind: "settlement-dispute",
    what: "settlement.dispute-finding-added",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeFindingAdded }>).payload.department,
  }),
  [EventTypes.SettlementDisputeResolved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeResolved }>).payload;
    const correction = p.correction === "refund" ? `: ${p.refunded?.minor ?? 0} ${p.refunded?.currency ?? ""} refunded` : p.correction ? `: ${p.correction} ${p.documentNumber}` : "";
    return { what: `settlement.dispute-${p.outcome}`, detail: `${p.kind}${correction}`, kind: "settlement-dispute" };
  },
  [EventTypes.SettlementDisputeEscalated]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeEscalated }>).payload;
    return { what: "settlement.dispute-escalated", detail: `${p.kind}: unresolved at ${p.respondBy}, escalated to ${p.escalatedTo}`, kind: "settlement-dispute" };
  },
  // A resolved case's refund that fell short (ADR 017, addendum): the figures and billing's reason, for whoever follows the order.
  [EventTypes.CaseRefundShortfall]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CaseRefundShortfall }>).payload;
    // Billing names no currency when it holds nothing of the order (nothing paid yet).
    const currency = p.requested?.currency ? ` ${p.requested.currency}` : "";
    return { what: "refund.shortfall", detail: `case ${p.caseId}: ${p.refunded?.minor ?? 0} of ${p.requested?.minor ?? 0}${currency} refunded; ${p.reason}`, kind: "refund-shortfall" };
  },
  [EventTypes.RefundIssued]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.RefundIssued }>).payload;
    const facts = { amountMinor: String(p.amount?.minor ?? 0), currency: p.amount?.currency ?? "" };
    return { what: "refund.issued", detail: `${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""} to ${p.method}: ${p.reason}`, kind: "refund-issued", facts };
  },
  [EventTypes.ServiceException]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ServiceException }>).payload;
    // The cause is the notice the customer is told (dispatch's contract); the measure is the store's own.
    const detail = `customer told: ${p.cause}; measure: ${p.measure}${p.newTime ? `; new time ${p.newTime}` : ""}`;
    return { what: `service.${p.kind}`, detail, kind: "service-exception", facts: { exception: p.kind, cause: p.cause, newTime: p.newTime } };
  },
  [EventTypes.ServiceVisitRescheduled]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ServiceVisitRescheduled }>).payload;
    const detail = `customer told: ${p.cause}; measure: ${p.measure}; new time ${p.newTime}`;
    return { what: "service.rescheduled", detail, kind: "visit-rescheduled", facts: { cause: p.cause, newTime: p.newTime } };
  },
  [EventTypes.StepOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StepOverdue }>).payload;
    return { what: `step.${p.step}-overdue`, detail: `level ${p.level}, due ${p.dueAt}${p.escalatedTo.length ? `, escalated to ${p.escalatedTo.join(", ")}` : ""}`, kind: "step-overdue" };
  },
  [EventTypes.OrderExceptionRaised]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderExceptionRaised }>).payload;
    // The cause and the next step are the notice the customer is told (OrderExceptionRaised's contract), not staff's words to themselves.
    const facts = { exception: p.kind, cause: p.cause, nextStep: p.nextStep };
    return { what: `order.exception-${p.kind}`, detail: `customer told: ${p.cause}; next: ${p.nextStep}`, kind: "order-exception", facts };
  },
  [EventTypes.OrderLinesSubstituted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderLinesSubstituted }>).payload;
    const what = p.substitutions.map((s) => `${s.sku} → ${s.quantity} × ${s.substituteSku}`).join(", ");
    const money = p.refundDueMinor > 0 ? `; ${p.refundDueMinor} to refund` : p.absorbedMinor > 0 ? `; ${p.absorbedMinor} taken as a discount` : "";
    const facts = { substitutions: what, refundDueMinor: String(p.refundDueMinor) };
    return { what: "order.lines-substituted", detail: `${what}${money}`, kind: "lines-substituted", facts };
  },
  [EventTypes.BackorderAccepted]: (e) => ({
    kind: "backorder-accepted",
    what: "order.backorder-accepted",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.BackorderAccepted }>).payload.note || "the customer waits for the stock",
  }),
  [EventTypes.OrderParcelShipped]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderParcelShipped }>).payload;
    const detail = `part ${p.partId} from ${p.storeId}: ${[p.carrier, p.trackingNumber].filter(Boolean).join(" ")}`;
    return { what: "order.parcel-shipped", detail, kind: "parcel-shipped", facts: { partId: p.partId, carrier: p.carrier, trackingNumber: p.trackingNumber } };
  },
  [EventTypes.OrderReadyForPickup]: (e) => {
    const { collectBy } = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReadyForPickup }>).payload;
    return { what: "order.ready-for-pickup", detail: `held at the counter until ${collectBy}`, kind: "ready-for-pickup", facts: { collectBy } };
  },
  [EventTypes.OrderCorrectionRequested]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrectionRequested }>).payload;
    return { what: "order.correction-requested", detail: `${p.fields.join(", ")}: ${p.reason}`, kind: "correction-request" };
  },
  [EventTypes.OrderCorrected]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrected }>).payload;
    // The field names only: the new values (a phone number, an address) stay out of the timeline.
    return { what: "order.corrected", detail: `${p.fields.join(", ")} (asked by ${p.requestedBy})`, kind: "order-corrected", facts: { fields: p.fields.join(", ") } };
  },
  [EventTypes.OrderCorrectionRejected]: (e) => ({
    kind: "correction-request",
    what: "order.correction-rejected",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrectionRejected }>).payload.reason,
  }),
  [EventTypes.AssignmentReplanRequested]: (e) => ({
    kind: "staff-task",
    what: "assignment.replan-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentReplanRequested }>).payload.reason,
  }),
  [EventTypes.ShipmentPicked]: () => ({ what: "shipment.picked", detail: "", kind: "warehouse-step" }),
  [EventTypes.ShipmentPacked]: () => ({ what: "shipment.packed", detail: "", kind: "warehouse-step" }),
  [EventTypes.ShipmentException]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentException }>).payload;
    return { what: `shipment.${p.kind}`, detail: `${p.cause}; next: ${p.nextStep}`, kind: "warehouse-step" };
  },
  [EventTypes.ShipmentStepOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentStepOverdue }>).payload;
    // The shipment is named: a split order has one per part, each with its own time nodes.
    const who = p.escalatedToRole ? `escalated to ${p.escalatedToRole}` : `warned ${p.responsibleRole}`;
    return { what: `shipment.${p.step}-overdue`, detail: `level ${p.level}, due ${p.dueAt}, shipment ${p.reservationId}, ${who} of ${p.storeId}`, kind: "step-overdue" };
  },
  [EventTypes.ReturnReceived]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReturnReceived }>).payload;
    // "Not back", not "still expected": the desk may have called the rest off (ADR 021), which this event does not say.
    const still = p.outstanding > 0 ? `, ${p.outstanding} not back` : "";
    const detail = `case ${p.caseId}, receipt ${p.receiptId}: ${p.restocked} restocked, ${p.writtenOff} written off${still}`;
    return { what: "return.received", detail, kind: "return-received", facts: { caseId: p.caseId } };
  },
  // The reason is the after-sales desk's own words: kept with the return and in the dossier, not on the timeline.
  [EventTypes.ReturnCalledOff]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReturnCalledOff }>).payload;
    return { what: "return.called-off", detail: `case ${p.caseId}: ${p.outstanding} no longer expected back`, kind: "return-step" };
  },
  // An exchange's replacement (ADR 030): the order's status does not move, its own goods were delivered before.
  [EventTypes.ReplacementReserved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementReserved }>).payload;
    return { what: "replacement.reserved", detail: `case ${p.caseId}: ${unitsOf(p.lines)} reserved`, kind: "replacement-step" };
  },
  [EventTypes.ReplacementAwaitingStock]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementAwaitingStock }>).payload;
    const short = p.short.map((l) => `${l.sku} (${l.requested} needed, ${l.available} available${l.expectedRestockDate ? `, restock expected ${l.expectedRestockDate}` : ""})`);
    return { what: "replacement.awaiting-stock", detail: `case ${p.caseId}: waiting for ${short.join(", ")}`, kind: "replacement-step" };
  },
  [EventTypes.ReplacementShipped]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementShipped }>).payload;
    const detail = `case ${p.caseId}: ${unitsOf(p.lines)} shipped with ${p.carrier}, tracking ${p.trackingNumber}`;
    return { what: "replacement.shipped", detail, kind: "replacement-shipped", facts: { caseId: p.caseId, carrier: p.carrier, trackingNumber: p.trackingNumber } };
  },
  // The clerk's pick and pack before the shipment (ADR 030's seventh addendum), as an order's steps are told.
  [EventTypes.ReplacementPicked]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementPicked }>).payload;
    return { what: "replacement.picked", detail: `case ${p.caseId}: ${unitsOf(p.lines)} picked`, kind: "replacement-step" };
  },
  [EventTypes.ReplacementPacked]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementPacked }>).payload;
    return { what: "replacement.packed", detail: `case ${p.caseId}: packed in ${p.parcels} parcel(s), label ${p.label}`, kind: "replacement-step" };
  },
  // The reason is the desk's own words: kept with the replacement and in the dossier, not on the timeline.
  [EventTypes.ReplacementCalledOff]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementCalledOff }>).payload;
    return { what: "replacement.called-off", detail: `case ${p.caseId}: not sent, ${p.released} reserved released`, kind: "replacement-called-off", facts: { caseId: p.caseId } };
  },
  // The desk sent a waiting replacement from another store that had it (ADR 030's third addendum); its reason, the desk's own
  // words, stays with the replacement and in the dossier, as a call-off's.
  [EventTypes.ReplacementMoved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementMoved }>).payload;
    return { what: "replacement.moved", detail: `case ${p.caseId}: replacement to ship from ${p.toStoreId} instead of ${p.fromStoreId}, ${unitsOf(p.lines)} reserved there`, kind: "replacement-step" };
  },
  // A reserved replacement late at a step (ADR 030's fifth and seventh addenda): told as an order's late shipment step is, the
  // step in the entry's name (replacement.pick-overdue, .pack-overdue, .ship-overdue); a flag from before the steps names none: its ship.
  [EventTypes.ReplacementShipOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementShipOverdue }>).payload;
    const who = p.escalatedToRole ? `escalated to ${p.escalatedToRole}` : `warned ${p.responsibleRole}`;
    // The case first, as every replacement entry names it (the fault harness reads it so).
    return { what: `replacement.${p.step || "ship"}-overdue`, detail: `case ${p.caseId}: level ${p.level}, due ${p.dueAt}, ${who} of ${p.storeId}`, kind: "step-overdue" };
  },
  // Staff recorded or cleared the restock date of a SKU the replacement waits for (ADR 030's second addendum).
  [EventTypes.ReplacementRestockExpected]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementRestockExpected }>).payload;
    return { what: "replacement.restock-expected", detail: `case ${p.caseId}: restock of ${p.sku} ${p.expectedRestockDate ? `expected ${p.expectedRestockDate}` : "no longer expected"}`, kind: "replacement-step" };
  },
  [EventTypes.DeliveryRecorded]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.DeliveryRecorded }>).payload;
    const part = p.reservationId ? ` (shipment ${p.reservationId})` : "";
    // Who delivered is a member of staff (or the marketplace that recorded it): the customer's view names them by the step's actor, in kind.
    return { what: "delivery.recorded", detail: `${p.method} by ${p.deliveredBy}, proof: ${p.proofKind}${part}`, kind: "delivery-recorded", facts: { method: p.method, proofKind: p.proofKind } };
  },
};

/** "1 × KETTLE-1, 2 × LID-3": a replacement's units, SKU by SKU (one line per location merged). */
function unitsOf(lines: readonly { sku: string; quantity: number }[]): string {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku].map(([sku, quantity]) => `${quantity} × ${sku}`).join(", ");
}

/**
 * A waiting order's line about a store's restock date staff recorded or cleared (a store-level
 * event, put on each order waiting for the SKU there): its id is the event's and the order's,
 * since one announcement reaches several orders.
 */
export function restockEntryOf(event: OrderEventOf<typeof EventTypes.RestockExpected>, orderId: string): TimelineEntry {
  const { sku, expectedRestockDate } = event.payload;
  return {
    orderId,
    at: event.occurredAt,
    service: event.producer,
    what: expectedRestockDate ? "restock.expected" : "restock.no-longer-expected",
    detail: expectedRestockDate ? `restock of ${sku} expected ${expectedRestockDate} at ${event.storeId}` : `restock of ${sku} no longer expected at ${event.storeId}`,
    kind: "restock-expected",
    facts: { sku, expectedRestockDate },
    actor: `${event.actor.kind}:${event.actor.id}`,
    eventId: `${event.eventId}/${orderId}`,
  };
}

/**
 * Events keyed by an order that are none of its timeline's business: a carrier's payment on a
 * settled claim (ADR 017, second carrier addendum), its reversal and the payment's being overdue
 * (third carrier addendum) are the chain's business with the carrier, which customers reading
 * their order do not see (as the claim itself, which is on no order's timeline).
 */
export const offTheTimeline: ReadonlySet<string> = new Set([EventTypes.CarrierRecoveryReceived, EventTypes.CarrierReceiptReversed, EventTypes.CarrierRecoveryOverdue]);

/** One timeline line per event, ours or another service's. */
export function timelineEntryOf(event: OrderEvent): TimelineEntry {
  const { what, detail, kind, facts } = whatOf[event.type]?.(event) ?? { what: event.type, detail: "", kind: "unknown" };
  return {
    orderId: event.orderId,
    at: event.occurredAt,
    service: event.producer,
    what,
    detail,
    kind,
    // Only a step customers see keeps facts: they are what the customer's wording is built from.
    facts: customersMaySee(kind) ? (facts ?? {}) : {},
    actor: `${event.actor.kind}:${event.actor.id}`,
    eventId: event.eventId,
  };
}
