-- Settlement disputes (ADR 026): an order's money disputed, handled with the departments involved.

CREATE TABLE settlement_disputes (
  dispute_id       text PRIMARY KEY,
  order_id         text NOT NULL,
  store_id         text NOT NULL,
  -- The opener's id of it (ADR 015): a retry under it answers the dispute as it is.
  request_id       text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('amount', 'payment-missing', 'refund-missing', 'invoice', 'chargeback', 'other')),
  amount_minor     bigint NOT NULL CHECK (amount_minor > 0),
  currency         text NOT NULL,
  -- What the customer (or the store) says; may name the customer, so it never leaves billing in an event.
  statement        text NOT NULL CHECK (length(statement) > 0),
  departments      text[] NOT NULL,
  opened_by        text NOT NULL,
  opened_at        timestamptz NOT NULL DEFAULT now(),
  respond_by       timestamptz NOT NULL,
  correlation_id   text NOT NULL,
  escalated_at     timestamptz,
  outcome          text CHECK (outcome IN ('upheld', 'rejected')),
  correction       text CHECK (correction IN ('refund', 'invoice-correction')),
  refund_minor     bigint,
  refund_ids       text[] NOT NULL DEFAULT '{}',
  document_number  text,
  reason           text,
  customer_answer  text,
  resolved_by      text,
  resolved_at      timestamptz,
  UNIQUE (order_id, request_id),
  CHECK ((outcome IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX settlement_disputes_store_opened ON settlement_disputes (store_id, opened_at);
-- What the gateway asks before finance closes orders: their open disputes.
CREATE INDEX settlement_disputes_open_by_order ON settlement_disputes (order_id) WHERE resolved_at IS NULL;

-- A department's finding on a dispute: append-only, who and when.
CREATE TABLE dispute_findings (
  dispute_id   text NOT NULL REFERENCES settlement_disputes (dispute_id),
  finding_id   text NOT NULL,
  department   text NOT NULL,
  finding      text NOT NULL CHECK (length(finding) > 0),
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  position     bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (dispute_id, finding_id)
);

CREATE FUNCTION dispute_findings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a finding on a settlement dispute is never changed or removed; add another instead'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER dispute_findings_append_only BEFORE UPDATE OR DELETE ON dispute_findings
  FOR EACH ROW EXECUTE FUNCTION dispute_findings_append_only();
