-- A cancellation's reason code pushed to the marketplace (ADR 022, twenty-eighth-session
-- addendum): fulfillment's closed list (OrderCancelled.reason_code), what the buyer is told why.
-- '' for every other push, a cancellation published before the list, and rows queued before
-- this lands (pushed, as before, without a code).
ALTER TABLE status_callbacks ADD COLUMN reason_code text NOT NULL DEFAULT '';
