-- Every time someone was shown a case's sealed words (ADR 017, showings addendum; ADR 024):
-- which case (and its order, so an access request by order is answered in one look), which
-- fields, who, in which role, when, under which request. Never the words themselves. Written
-- with the read that opened them: a showing that cannot be logged is not given. A list view
-- writes its rows in one statement. Auditors and store managers read it back through intake.
CREATE TABLE case_disclosures (
  disclosure_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id        text NOT NULL REFERENCES cases (case_id),
  order_id       text NOT NULL,
  -- Only the description is shown in a view today: a satisfaction comment is only ever answered
  -- to whoever just recorded it, which is not a showing.
  fields         text[] NOT NULL CHECK (cardinality(fields) > 0 AND fields <@ ARRAY['description']::text[]),
  -- "<kind>:<id>" of the caller, as the gateway authenticated them.
  shown_to       text NOT NULL CHECK (shown_to <> ''),
  role           text NOT NULL,
  correlation_id text NOT NULL,
  shown_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_disclosures_by_case ON case_disclosures (case_id, shown_at);

-- Append-only, as intake's contact_disclosures: a trigger, so no statement of the service's
-- own can rewrite who looked.
CREATE FUNCTION refuse_case_disclosure_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_disclosures is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_disclosures_append_only
  BEFORE UPDATE OR DELETE ON case_disclosures
  FOR EACH ROW EXECUTE FUNCTION refuse_case_disclosure_change();
CREATE TRIGGER case_disclosures_no_truncate
  BEFORE TRUNCATE ON case_disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_case_disclosure_change();
