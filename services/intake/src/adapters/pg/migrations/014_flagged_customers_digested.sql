-- Flagged customers are no longer kept in the clear (ADR 024, addendum). A flag by phone or
-- e-mail is keyed by a keyed digest of the normalised value ("phone-digest:<hex>", HMAC-SHA-256
-- under INTAKE_CUSTOMER_MATCHING_KEY), the contact itself sealed beside it under intake's
-- personal-data keys, bound to the key; `matched_under` fingerprints the matching key, so a
-- start under another key finds the digests to compute again. Flags by customer id are
-- unchanged. Rows keyed "phone:<digits>" / "email:<address>" are rewritten at intake's next
-- start (app/match-flagged-customers-afresh.ts), which then validates the check below.
ALTER TABLE flagged_customers
  ADD COLUMN sealed_contact bytea,
  ADD COLUMN matched_under  text;

-- NOT VALID: refused for every row written from now on, while the rows written before wait for
-- the start's rewrite; VALIDATE CONSTRAINT afterwards proves none is left in the clear.
ALTER TABLE flagged_customers ADD CONSTRAINT flagged_customers_no_clear_contact CHECK (
  (customer_key LIKE 'id:%' AND sealed_contact IS NULL AND matched_under IS NULL)
  OR (customer_key ~ '^(phone|email)-digest:[0-9a-f]{64}$' AND sealed_contact IS NOT NULL AND matched_under IS NOT NULL)
) NOT VALID;

-- Every listing that showed reviewers or store managers flagged customers' phones or e-mails:
-- who, in which role, when, under which request, and the flags' keys (digests, never the
-- contacts). Written in the transaction that opened them, append-only as contact_disclosures.
CREATE TABLE customer_flag_disclosures (
  disclosure_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_keys  text[] NOT NULL,
  shown_to       text NOT NULL,
  role           text NOT NULL,
  correlation_id text NOT NULL,
  shown_at       timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_customer_flag_disclosure_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'customer_flag_disclosures is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER customer_flag_disclosures_append_only
  BEFORE UPDATE OR DELETE ON customer_flag_disclosures
  FOR EACH ROW EXECUTE FUNCTION refuse_customer_flag_disclosure_change();
CREATE TRIGGER customer_flag_disclosures_no_truncate
  BEFORE TRUNCATE ON customer_flag_disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_customer_flag_disclosure_change();
