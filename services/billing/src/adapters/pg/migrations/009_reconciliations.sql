-- Reconciliation of a store's money against its orders over a period (ADR 023).

-- A run: started by a clerk (under their request id, ADR 015) or by the daily timer.
CREATE TABLE reconciliations (
  reconciliation_id  text PRIMARY KEY,
  store_id           text NOT NULL,
  period_from        timestamptz NOT NULL,
  period_until       timestamptz NOT NULL CHECK (period_until > period_from),
  request_id         text NOT NULL,
  started_by         text NOT NULL,
  orders_compared    int NOT NULL CHECK (orders_compared >= 0),
  differences_found  int NOT NULL CHECK (differences_found >= 0),
  resolved_by_data   int NOT NULL CHECK (resolved_by_data >= 0),
  completed_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, request_id)
);
CREATE INDEX reconciliations_store_period ON reconciliations (store_id, period_from, completed_at);

-- A difference of a store and period, the same one on every rerun: its order and kind.
CREATE TABLE reconciliation_differences (
  difference_id        text PRIMARY KEY,
  store_id             text NOT NULL,
  period_from          timestamptz NOT NULL,
  period_until         timestamptz NOT NULL,
  order_id             text NOT NULL,
  kind                 text NOT NULL,
  first_found_in       text NOT NULL REFERENCES reconciliations (reconciliation_id),
  first_found_at       timestamptz NOT NULL DEFAULT now(),
  -- A later run no longer found it (and which); cleared when it comes back.
  resolved_by_data_at  timestamptz,
  resolved_in          text REFERENCES reconciliations (reconciliation_id),
  UNIQUE (store_id, period_from, period_until, order_id, kind)
);

-- What each run found, with the figures it found it on.
CREATE TABLE reconciliation_findings (
  reconciliation_id  text NOT NULL REFERENCES reconciliations (reconciliation_id),
  difference_id      text NOT NULL REFERENCES reconciliation_differences (difference_id),
  detail             text NOT NULL,
  figures            jsonb NOT NULL,
  PRIMARY KEY (reconciliation_id, difference_id)
);
CREATE INDEX reconciliation_findings_difference ON reconciliation_findings (difference_id);

-- A clerk's explanation of a difference and how it was corrected: append-only.
CREATE TABLE difference_explanations (
  difference_id   text NOT NULL REFERENCES reconciliation_differences (difference_id),
  explanation_id  text NOT NULL,
  correction      text NOT NULL CHECK (correction IN ('refund-issued', 'payment-recorded', 'order-data-corrected', 'written-off', 'no-correction-needed')),
  note            text NOT NULL CHECK (length(note) > 0),
  explained_by    text NOT NULL,
  explained_at    timestamptz NOT NULL DEFAULT now(),
  position        bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (difference_id, explanation_id)
);

CREATE FUNCTION difference_explanations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an explanation of a reconciliation difference is never changed or removed; explain it again instead'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER difference_explanations_append_only BEFORE UPDATE OR DELETE ON difference_explanations
  FOR EACH ROW EXECUTE FUNCTION difference_explanations_append_only();

-- A store's money of a period: what a reconciliation reads besides settlements and invoices (which have theirs).
CREATE INDEX prepayments_store_recorded ON prepayments (store_id, recorded_at);
CREATE INDEX payments_recorded ON payments (recorded_at);
CREATE INDEX refunds_issued ON refunds (issued_at);
