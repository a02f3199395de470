-- What billing refunded for a resolved case, and the shortfall it announced when it refunded
-- less than the case named (ADR 017, addendum): customer service sees whether the money
-- promised went back, and finance the cases whose rest it settles by hand. Each refund is
-- kept by billing's refund id, so one heard twice is counted once; refunded_minor is their sum.
CREATE TABLE case_refunds (
  refund_id    text PRIMARY KEY,
  case_id      text NOT NULL REFERENCES cases (case_id),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  issued_at    timestamptz NOT NULL
);
CREATE INDEX case_refunds_case ON case_refunds (case_id);

ALTER TABLE cases
  ADD COLUMN refunded_minor                   bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  ADD COLUMN refund_shortfall_requested_minor bigint CHECK (refund_shortfall_requested_minor > 0),
  ADD COLUMN refund_shortfall_refunded_minor  bigint CHECK (refund_shortfall_refunded_minor >= 0),
  ADD COLUMN refund_shortfall_reason          text,
  ADD COLUMN refund_shortfall_at              timestamptz,
  ADD CHECK (num_nulls(refund_shortfall_requested_minor, refund_shortfall_refunded_minor, refund_shortfall_reason, refund_shortfall_at) IN (0, 4)),
  ADD CHECK (status = 'resolved' OR (refunded_minor = 0 AND refund_shortfall_at IS NULL));

-- The worklist of short refunds (GET /v1/after-sales-cases?refundShortfall=true): few rows, a store's or every store's.
CREATE INDEX cases_refund_shortfall ON cases (store_id, opened_at DESC, case_id) WHERE refund_shortfall_at IS NOT NULL;
