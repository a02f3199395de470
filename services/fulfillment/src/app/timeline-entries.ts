import { EventTypes, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { TimelineEntry } from "../adapters/pg/timeline-repository.ts";

/** What an order's timeline says of each event, fulfillment's own and every other service's. */
const whatOf: Record<string, (event: OrderEvent) => { what: string; detail: string }> = {
  [EventTypes.OrderCreated]: () => ({ what: "order.created", detail: "" }),
  [EventTypes.OrderStatusChanged]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderStatusChanged }>).payload;
    return { what: `order.${p.toStatus}`, detail: p.reason };
  },
  [EventTypes.StockReservationRequested]: () => ({ what: "stock.reservation-requested", detail: "" }),
  [EventTypes.StockReleaseRequested]: () => ({ what: "stock.release-requested", detail: "" }),
  [EventTypes.AssignmentRequested]: () => ({ what: "assignment.requested", detail: "" }),
  [EventTypes.SettlementRequested]: () => ({ what: "settlement.requested", detail: "" }),
  [EventTypes.OrderCancelled]: (e) => ({ what: "order.cancellation", detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCancelled }>).payload.reason }),
  [EventTypes.OrderReceived]: () => ({ what: "order.received", detail: "accepted by intake" }),
  [EventTypes.OrderReviewRequested]: (e) => ({
    what: "order.review-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewRequested }>).payload.reasons.join("; "),
  }),
  [EventTypes.OrderReviewApproved]: (e) => ({
    what: "order.review-approved",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewApproved }>).payload.note,
  }),
  [EventTypes.OrderReviewRejected]: (e) => ({
    what: "order.review-rejected",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderReviewRejected }>).payload.reason,
  }),
  [EventTypes.StockReserved]: (e) => {
    const { routing, parts } = (e as Extract<OrderEvent, { type: typeof EventTypes.StockReserved }>).payload;
    if (parts.length === 0) return { what: "stock.reserved", detail: routing.join("; ") };
    const split = parts.map((p, i) => `part ${i + 1} at ${p.storeId}: ${p.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}`).join("; ");
    return { what: "stock.reserved-split", detail: [split, ...routing].join("; ") };
  },
  [EventTypes.ReservationRejected]: (e) => ({
    what: "stock.rejected-by-store",
    detail: `${e.storeId}: ${(e as Extract<OrderEvent, { type: typeof EventTypes.ReservationRejected }>).payload.reason}`,
  }),
  [EventTypes.OrderRouted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderRouted }>).payload;
    return { what: "order.routed", detail: `from ${p.fromStoreId} to ${p.toStoreId}` };
  },
  [EventTypes.StockShortage]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StockShortage }>).payload;
    const lines = p.lines.map((l) => `${l.sku}: ${l.available} of ${l.requested} available${l.expectedRestockDate ? `, restock expected ${l.expectedRestockDate}` : ""}`);
    return { what: "stock.shortage", detail: [...lines, ...p.routing].join("; ") };
  },
  [EventTypes.StockReleased]: () => ({ what: "stock.released", detail: "" }),
  [EventTypes.ShipmentDispatched]: (e) => ({
    what: "shipment.dispatched",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentDispatched }>).payload.trackingNumber,
  }),
  [EventTypes.TaskAssigned]: (e) => ({ what: "task.assigned", detail: (e as Extract<OrderEvent, { type: typeof EventTypes.TaskAssigned }>).payload.staffId }),
  [EventTypes.TaskQueued]: (e) => ({ what: "task.queued", detail: (e as Extract<OrderEvent, { type: typeof EventTypes.TaskQueued }>).payload.reason }),
  [EventTypes.AssignmentAcknowledged]: () => ({ what: "task.acknowledged", detail: "" }),
  [EventTypes.AssignmentDeclined]: (e) => ({
    what: "task.declined",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentDeclined }>).payload.reason,
  }),
  [EventTypes.ServiceReportSubmitted]: () => ({ what: "service.report-submitted", detail: "self-inspection passed" }),
  [EventTypes.AssignmentExpired]: () => ({ what: "task.acknowledgement-missed", detail: "reassigned" }),
  [EventTypes.AssignmentWithdrawn]: (e) => ({
    what: "task.withdrawn",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentWithdrawn }>).payload.reason,
  }),
  [EventTypes.SettlementPrepared]: (e) => ({
    what: "settlement.prepared",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementPrepared }>).payload.status,
  }),
  [EventTypes.PaymentConfirmed]: () => ({ what: "payment.confirmed", detail: "" }),
  [EventTypes.OrderSettled]: () => ({ what: "settlement.settled", detail: "" }),
  [EventTypes.StockReceived]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StockReceived }>).payload;
    return { what: "stock.received", detail: `${p.quantity} × ${p.sku}` };
  },
  [EventTypes.OrderFollowUpRequested]: (e) => ({
    what: "order.follow-up-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderFollowUpRequested }>).payload.reason,
  }),
  [EventTypes.OrderEscalated]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderEscalated }>).payload;
    return { what: "order.escalated", detail: `${p.reason} (to ${p.escalatedTo})` };
  },
  [EventTypes.ShipmentRequested]: () => ({ what: "shipment.requested", detail: "" }),
  [EventTypes.CreditDecided]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CreditDecided }>).payload;
    return { what: p.approved ? "credit.approved" : "credit.refused", detail: p.reason };
  },
  [EventTypes.CollectionStarted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CollectionStarted }>).payload;
    return { what: "collection.started", detail: `${p.outstanding?.minor ?? 0} ${p.outstanding?.currency ?? ""} owed: ${p.reason}` };
  },
  [EventTypes.InvoiceIssued]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.InvoiceIssued }>).payload;
    const against = p.corrects ? ` against ${p.corrects}` : "";
    return { what: `invoice.${p.kind}-issued`, detail: `${p.invoiceNumber}${against}: ${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""}, tax ${p.tax?.minor ?? 0}` };
  },
  // Finance's working notes stay in billing (ADR 023): the timeline, which the customer reads too, says only the kind and the correction.
  [EventTypes.ReconciliationDifferenceFound]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReconciliationDifferenceFound }>).payload;
    return { what: "reconciliation.difference-found", detail: p.kind };
  },
  [EventTypes.ReconciliationDifferenceExplained]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReconciliationDifferenceExplained }>).payload;
    return { what: "reconciliation.difference-explained", detail: `${p.kind}: ${p.correction}` };
  },
  // Settlement disputes (ADR 026): the kind, the departments and the outcome; the statement, findings and answers stay in billing.
  [EventTypes.SettlementDisputeOpened]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeOpened }>).payload;
    return { what: "settlement.dispute-opened", detail: `${p.kind}: ${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""} with ${p.departments.join(", ")}, answer due ${p.respondBy}` };
  },
  [EventTypes.SettlementDisputeFindingAdded]: (e) => ({
    what: "settlement.dispute-finding-added",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeFindingAdded }>).payload.department,
  }),
  [EventTypes.SettlementDisputeResolved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeResolved }>).payload;
    const correction = p.correction === "refund" ? `: ${p.refunded?.minor ?? 0} ${p.refunded?.currency ?? ""} refunded` : p.correction ? `: ${p.correction} ${p.documentNumber}` : "";
    return { what: `settlement.dispute-${p.outcome}`, detail: `${p.kind}${correction}` };
  },
  [EventTypes.SettlementDisputeEscalated]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.SettlementDisputeEscalated }>).payload;
    return { what: "settlement.dispute-escalated", detail: `${p.kind}: unresolved at ${p.respondBy}, escalated to ${p.escalatedTo}` };
  },
  // A resolved case's refund that fell short (ADR 017, addendum): the figures and billing's reason, for whoever follows the order.
  [EventTypes.CaseRefundShortfall]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.CaseRefundShortfall }>).payload;
    // Billing names no currency when it holds nothing of the order (nothing paid yet).
    const currency = p.requested?.currency ? ` ${p.requested.currency}` : "";
    return { what: "refund.shortfall", detail: `case ${p.caseId}: ${p.refunded?.minor ?? 0} of ${p.requested?.minor ?? 0}${currency} refunded; ${p.reason}` };
  },
  [EventTypes.RefundIssued]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.RefundIssued }>).payload;
    return { what: "refund.issued", detail: `${p.amount?.minor ?? 0} ${p.amount?.currency ?? ""} to ${p.method}: ${p.reason}` };
  },
  [EventTypes.ServiceException]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ServiceException }>).payload;
    return { what: `service.${p.kind}`, detail: `customer told: ${p.cause}; measure: ${p.measure}${p.newTime ? `; new time ${p.newTime}` : ""}` };
  },
  [EventTypes.ServiceVisitRescheduled]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ServiceVisitRescheduled }>).payload;
    return { what: "service.rescheduled", detail: `customer told: ${p.cause}; measure: ${p.measure}; new time ${p.newTime}` };
  },
  [EventTypes.StepOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.StepOverdue }>).payload;
    return { what: `step.${p.step}-overdue`, detail: `level ${p.level}, due ${p.dueAt}${p.escalatedTo.length ? `, escalated to ${p.escalatedTo.join(", ")}` : ""}` };
  },
  [EventTypes.OrderExceptionRaised]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderExceptionRaised }>).payload;
    return { what: `order.exception-${p.kind}`, detail: `customer told: ${p.cause}; next: ${p.nextStep}` };
  },
  [EventTypes.OrderLinesSubstituted]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderLinesSubstituted }>).payload;
    const what = p.substitutions.map((s) => `${s.sku} → ${s.quantity} × ${s.substituteSku}`).join(", ");
    const money = p.refundDueMinor > 0 ? `; ${p.refundDueMinor} to refund` : p.absorbedMinor > 0 ? `; ${p.absorbedMinor} taken as a discount` : "";
    return { what: "order.lines-substituted", detail: `${what}${money}` };
  },
  [EventTypes.BackorderAccepted]: (e) => ({
    what: "order.backorder-accepted",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.BackorderAccepted }>).payload.note || "the customer waits for the stock",
  }),
  [EventTypes.OrderParcelShipped]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderParcelShipped }>).payload;
    return { what: "order.parcel-shipped", detail: `part ${p.partId} from ${p.storeId}: ${[p.carrier, p.trackingNumber].filter(Boolean).join(" ")}` };
  },
  [EventTypes.OrderReadyForPickup]: (e) => ({
    what: "order.ready-for-pickup",
    detail: `held at the counter until ${(e as Extract<OrderEvent, { type: typeof EventTypes.OrderReadyForPickup }>).payload.collectBy}`,
  }),
  [EventTypes.OrderCorrectionRequested]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrectionRequested }>).payload;
    return { what: "order.correction-requested", detail: `${p.fields.join(", ")}: ${p.reason}` };
  },
  [EventTypes.OrderCorrected]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrected }>).payload;
    // The field names only: the new values (a phone number, an address) stay out of the timeline.
    return { what: "order.corrected", detail: `${p.fields.join(", ")} (asked by ${p.requestedBy})` };
  },
  [EventTypes.OrderCorrectionRejected]: (e) => ({
    what: "order.correction-rejected",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.OrderCorrectionRejected }>).payload.reason,
  }),
  [EventTypes.AssignmentReplanRequested]: (e) => ({
    what: "assignment.replan-requested",
    detail: (e as Extract<OrderEvent, { type: typeof EventTypes.AssignmentReplanRequested }>).payload.reason,
  }),
  [EventTypes.ShipmentPicked]: () => ({ what: "shipment.picked", detail: "" }),
  [EventTypes.ShipmentPacked]: () => ({ what: "shipment.packed", detail: "" }),
  [EventTypes.ShipmentException]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentException }>).payload;
    return { what: `shipment.${p.kind}`, detail: `${p.cause}; next: ${p.nextStep}` };
  },
  [EventTypes.ShipmentStepOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ShipmentStepOverdue }>).payload;
    // The shipment is named: a split order has one per part, each with its own time nodes.
    const who = p.escalatedToRole ? `escalated to ${p.escalatedToRole}` : `warned ${p.responsibleRole}`;
    return { what: `shipment.${p.step}-overdue`, detail: `level ${p.level}, due ${p.dueAt}, shipment ${p.reservationId}, ${who} of ${p.storeId}` };
  },
  [EventTypes.ReturnReceived]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReturnReceived }>).payload;
    // "Not back", not "still expected": the desk may have called the rest off (ADR 021), which this event does not say.
    const still = p.outstanding > 0 ? `, ${p.outstanding} not back` : "";
    return { what: "return.received", detail: `case ${p.caseId}, receipt ${p.receiptId}: ${p.restocked} restocked, ${p.writtenOff} written off${still}` };
  },
  // The reason is the after-sales desk's own words: kept with the return and in the dossier, not on the timeline.
  [EventTypes.ReturnCalledOff]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReturnCalledOff }>).payload;
    return { what: "return.called-off", detail: `case ${p.caseId}: ${p.outstanding} no longer expected back` };
  },
  // An exchange's replacement (ADR 030): the order's status does not move, its own goods were delivered before.
  [EventTypes.ReplacementReserved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementReserved }>).payload;
    return { what: "replacement.reserved", detail: `case ${p.caseId}: ${unitsOf(p.lines)} reserved` };
  },
  [EventTypes.ReplacementAwaitingStock]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementAwaitingStock }>).payload;
    const short = p.short.map((l) => `${l.sku} (${l.requested} needed, ${l.available} available${l.expectedRestockDate ? `, restock expected ${l.expectedRestockDate}` : ""})`);
    return { what: "replacement.awaiting-stock", detail: `case ${p.caseId}: waiting for ${short.join(", ")}` };
  },
  [EventTypes.ReplacementShipped]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementShipped }>).payload;
    return { what: "replacement.shipped", detail: `case ${p.caseId}: ${unitsOf(p.lines)} shipped with ${p.carrier}, tracking ${p.trackingNumber}` };
  },
  // The clerk's pick and pack before the shipment (ADR 030's seventh addendum), as an order's steps are told.
  [EventTypes.ReplacementPicked]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementPicked }>).payload;
    return { what: "replacement.picked", detail: `case ${p.caseId}: ${unitsOf(p.lines)} picked` };
  },
  [EventTypes.ReplacementPacked]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementPacked }>).payload;
    return { what: "replacement.packed", detail: `case ${p.caseId}: packed in ${p.parcels} parcel(s), label ${p.label}` };
  },
  // The reason is the desk's own words: kept with the replacement and in the dossier, not on the timeline.
  [EventTypes.ReplacementCalledOff]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementCalledOff }>).payload;
    return { what: "replacement.called-off", detail: `case ${p.caseId}: not sent, ${p.released} reserved released` };
  },
  // The desk sent a waiting replacement from another store that had it (ADR 030's third addendum); its reason, the desk's own
  // words, stays with the replacement and in the dossier, as a call-off's.
  [EventTypes.ReplacementMoved]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementMoved }>).payload;
    return { what: "replacement.moved", detail: `case ${p.caseId}: replacement to ship from ${p.toStoreId} instead of ${p.fromStoreId}, ${unitsOf(p.lines)} reserved there` };
  },
  // A reserved replacement late at a step (ADR 030's fifth and seventh addenda): told as an order's late shipment step is, the
  // step in the entry's name (replacement.pick-overdue, .pack-overdue, .ship-overdue); a flag from before the steps names none: its ship.
  [EventTypes.ReplacementShipOverdue]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementShipOverdue }>).payload;
    const who = p.escalatedToRole ? `escalated to ${p.escalatedToRole}` : `warned ${p.responsibleRole}`;
    // The case first, as every replacement entry names it (the fault harness reads it so).
    return { what: `replacement.${p.step || "ship"}-overdue`, detail: `case ${p.caseId}: level ${p.level}, due ${p.dueAt}, ${who} of ${p.storeId}` };
  },
  // Staff recorded or cleared the restock date of a SKU the replacement waits for (ADR 030's second addendum).
  [EventTypes.ReplacementRestockExpected]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.ReplacementRestockExpected }>).payload;
    return { what: "replacement.restock-expected", detail: `case ${p.caseId}: restock of ${p.sku} ${p.expectedRestockDate ? `expected ${p.expectedRestockDate}` : "no longer expected"}` };
  },
  [EventTypes.DeliveryRecorded]: (e) => {
    const p = (e as Extract<OrderEvent, { type: typeof EventTypes.DeliveryRecorded }>).payload;
    const part = p.reservationId ? ` (shipment ${p.reservationId})` : "";
    return { what: "delivery.recorded", detail: `${p.method} by ${p.deliveredBy}, proof: ${p.proofKind}${part}` };
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
  const { what, detail } = whatOf[event.type]?.(event) ?? { what: event.type, detail: "" };
  return {
    orderId: event.orderId,
    at: event.occurredAt,
    service: event.producer,
    what,
    detail,
    actor: `${event.actor.kind}:${event.actor.id}`,
    eventId: event.eventId,
  };
}
