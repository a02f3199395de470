-- Every time someone was shown a settlement dispute's sealed statement (ADR 026, showings
-- addendum; ADR 024): which dispute (and its order), which fields, who, in which role, when,
-- under which request. Never the statement itself. Written with the read that opened it: a
-- showing that cannot be logged is not given. A list view writes its rows in one statement.
-- Auditors and store managers read it back through intake.
CREATE TABLE dispute_disclosures (
  disclosure_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dispute_id     text NOT NULL REFERENCES settlement_disputes (dispute_id),
  order_id       text NOT NULL,
  fields         text[] NOT NULL CHECK (cardinality(fields) > 0 AND fields <@ ARRAY['statement']::text[]),
  -- "<kind>:<id>" of the caller, as the gateway authenticated them.
  shown_to       text NOT NULL CHECK (shown_to <> ''),
  role           text NOT NULL,
  correlation_id text NOT NULL,
  shown_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispute_disclosures_by_dispute ON dispute_disclosures (dispute_id, shown_at);

-- Append-only, as intake's contact_disclosures: a trigger, so no statement of the service's
-- own can rewrite who looked.
CREATE FUNCTION refuse_dispute_disclosure_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dispute_disclosures is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER dispute_disclosures_append_only
  BEFORE UPDATE OR DELETE ON dispute_disclosures
  FOR EACH ROW EXECUTE FUNCTION refuse_dispute_disclosure_change();
CREATE TRIGGER dispute_disclosures_no_truncate
  BEFORE TRUNCATE ON dispute_disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_dispute_disclosure_change();
