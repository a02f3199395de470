-- Every timeline step carries its kind and, for a kind customers see, the facts their wording
-- is built from (ADR 022, twenty-seventh-session addendum; domain/timeline-kinds.ts). Whether
-- customers see a kind is decided in the domain, not stored, so it is one decision for old rows
-- and new.
--
-- The rows recorded before: their kind told from `what`, which fulfillment wrote from a fixed
-- set of names; a name not listed stays "unknown", which customers never see. Facts are kept
-- only where a column holds one and nothing else: a status change's status (in `what`) and a
-- dispatched shipment's tracking number (its whole detail). Other old customer steps keep no
-- facts: the customer reads them without particulars (a cancellation: "cancelled"), never in
-- staff's words.
ALTER TABLE timeline
  ADD COLUMN kind  text  NOT NULL DEFAULT 'unknown',
  ADD COLUMN facts jsonb NOT NULL DEFAULT '{}';

UPDATE timeline SET kind = CASE
  WHEN what = 'order.created' THEN 'order-created'
  WHEN what = 'order.received' THEN 'order-received'
  WHEN what = 'order.cancellation' THEN 'order-cancelled'
  WHEN what = 'order.corrected' THEN 'order-corrected'
  WHEN what IN ('order.correction-requested', 'order.correction-rejected') THEN 'correction-request'
  WHEN what LIKE 'order.exception-%' THEN 'order-exception'
  WHEN what IN ('order.review-requested', 'order.review-approved', 'order.review-rejected') THEN 'review'
  WHEN what = 'order.routed' THEN 'stock-routing'
  WHEN what = 'order.follow-up-requested' THEN 'follow-up'
  WHEN what = 'order.escalated' THEN 'escalation'
  WHEN what = 'order.backorder-accepted' THEN 'backorder-accepted'
  WHEN what = 'order.lines-substituted' THEN 'lines-substituted'
  WHEN what = 'order.parcel-shipped' THEN 'parcel-shipped'
  WHEN what = 'order.ready-for-pickup' THEN 'ready-for-pickup'
  WHEN what IN ('order.awaiting-confirmation', 'order.confirmed', 'order.credit-checked', 'order.reserved', 'order.assigned',
                'order.picked', 'order.packed', 'order.shipped', 'order.partially-shipped', 'order.partially-delivered',
                'order.delivered', 'order.accepted', 'order.completed', 'order.on-hold', 'order.rework',
                'order.settled', 'order.closed', 'order.cancelled', 'order.rejected') THEN 'order-status-changed'
  WHEN what IN ('stock.reservation-requested', 'stock.release-requested', 'assignment.requested', 'settlement.requested', 'shipment.requested') THEN 'service-request'
  WHEN what IN ('stock.reserved', 'stock.reserved-split', 'stock.rejected-by-store') THEN 'stock-routing'
  WHEN what = 'stock.shortage' THEN 'stock-shortage'
  WHEN what IN ('stock.released', 'stock.received', 'shipment.picked', 'shipment.packed') THEN 'warehouse-step'
  WHEN what = 'shipment.dispatched' THEN 'shipment-dispatched'
  WHEN what LIKE 'shipment.%-overdue' OR what LIKE 'step.%-overdue' OR what = 'replacement.ship-overdue' THEN 'step-overdue'
  WHEN what LIKE 'shipment.%' THEN 'warehouse-step'
  WHEN what LIKE 'task.%' OR what = 'assignment.replan-requested' THEN 'staff-task'
  WHEN what = 'service.report-submitted' THEN 'service-reported'
  WHEN what = 'service.rescheduled' THEN 'visit-rescheduled'
  WHEN what LIKE 'service.%' THEN 'service-exception'
  WHEN what = 'payment.confirmed' THEN 'payment-confirmed'
  WHEN what LIKE 'settlement.dispute-%' THEN 'settlement-dispute'
  WHEN what IN ('settlement.prepared', 'settlement.settled') THEN 'settlement'
  WHEN what IN ('credit.approved', 'credit.refused') THEN 'credit'
  WHEN what = 'collection.started' THEN 'collection'
  WHEN what LIKE 'invoice.%' THEN 'invoice'
  WHEN what LIKE 'reconciliation.%' THEN 'reconciliation'
  WHEN what = 'refund.shortfall' THEN 'refund-shortfall'
  WHEN what = 'refund.issued' THEN 'refund-issued'
  WHEN what = 'return.received' THEN 'return-received'
  WHEN what = 'return.called-off' THEN 'return-step'
  WHEN what = 'replacement.shipped' THEN 'replacement-shipped'
  WHEN what = 'replacement.called-off' THEN 'replacement-called-off'
  WHEN what LIKE 'replacement.%' THEN 'replacement-step'
  WHEN what IN ('restock.expected', 'restock.no-longer-expected') THEN 'restock-expected'
  WHEN what = 'delivery.recorded' THEN 'delivery-recorded'
  ELSE 'unknown'
END;

UPDATE timeline SET facts = jsonb_build_object('status', substr(what, length('order.') + 1)) WHERE kind = 'order-status-changed';
UPDATE timeline SET facts = jsonb_build_object('trackingNumber', detail) WHERE kind = 'shipment-dispatched';
