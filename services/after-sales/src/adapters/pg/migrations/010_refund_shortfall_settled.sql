-- Finance's settlement of a refund that fell short (ADR 017, addendum): it pays the rest by
-- hand (a refund of its own, a bank transfer, a voucher) under a reference of its own and
-- says so on the case, which then leaves the worklist. All four are set or none, and only on
-- a case whose shortfall billing announced.
ALTER TABLE cases
  ADD COLUMN refund_shortfall_settled_at        timestamptz,
  ADD COLUMN refund_shortfall_settled_by        text,
  ADD COLUMN refund_shortfall_settled_reference text CHECK (length(refund_shortfall_settled_reference) BETWEEN 1 AND 100),
  ADD COLUMN refund_shortfall_settled_note      text CHECK (length(refund_shortfall_settled_note) <= 500),
  ADD CHECK (num_nulls(refund_shortfall_settled_at, refund_shortfall_settled_by, refund_shortfall_settled_reference, refund_shortfall_settled_note) IN (0, 4)),
  ADD CHECK (refund_shortfall_settled_at IS NULL OR refund_shortfall_at IS NOT NULL);

-- The worklist is of shortfalls still to settle: a settled one leaves it (and the index).
DROP INDEX cases_refund_shortfall;
CREATE INDEX cases_refund_shortfall ON cases (store_id, opened_at DESC, case_id) WHERE refund_shortfall_at IS NOT NULL AND refund_shortfall_settled_at IS NULL;
