-- A cancellation is pushed once per order (ADR 022, twenty-eighth-session addendum, second
-- reading): before the session it was queued from the status change to cancelled, now from
-- OrderCancelled (another event id), so a queued cancellation of the order is looked up before
-- another is queued. Partial: only cancellations, one row per cancelled marketplace order.
CREATE INDEX status_callbacks_cancelled ON status_callbacks (order_id) WHERE status = 'cancelled';
