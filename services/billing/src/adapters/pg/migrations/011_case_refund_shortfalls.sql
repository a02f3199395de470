-- A resolved case's refund that fell short (ADR 017 addendum), as billing announced it: one per
-- case, for good. The announcement is made only when this row is written, so a case resolved
-- again with nothing refunded (no refund row to tell it was heard) announces no second shortfall.
CREATE TABLE case_refund_shortfalls (
  case_id         text PRIMARY KEY,
  order_id        text NOT NULL,
  requested_minor bigint NOT NULL CHECK (requested_minor > 0),
  refunded_minor  bigint NOT NULL CHECK (refunded_minor >= 0 AND refunded_minor < requested_minor),
  reason          text NOT NULL CHECK (length(reason) > 0),
  announced_at    timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION case_refund_shortfalls_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a case refund shortfall billing announced is never changed or removed'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER case_refund_shortfalls_append_only BEFORE UPDATE OR DELETE ON case_refund_shortfalls
  FOR EACH ROW EXECUTE FUNCTION case_refund_shortfalls_append_only();
CREATE TRIGGER case_refund_shortfalls_no_truncate BEFORE TRUNCATE ON case_refund_shortfalls
  FOR EACH STATEMENT EXECUTE FUNCTION case_refund_shortfalls_append_only();
