-- Customers' contacts sealed at rest (DOMAIN.md, Information security; ADR 024): the
-- name, phone, e-mail, street and postal code leave `canonical` and live here, sealed with
-- AES-256-GCM under intake's personal-data keys and bound to the order id. NULL only on a
-- row stored before this migration, until intake's start seals it (app/seal-stored-contacts.ts).
ALTER TABLE orders ADD COLUMN sealed_contact bytea;

-- Every time someone was shown a customer's contact: who, in which role, when, under which
-- request. Written in the transaction that opened it: a showing that cannot be logged is
-- not given. Auditors and store managers read it back.
CREATE TABLE contact_disclosures (
  disclosure_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id       text NOT NULL REFERENCES orders (order_id),
  shown_to       text NOT NULL,
  role           text NOT NULL,
  correlation_id text NOT NULL,
  shown_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_disclosures_by_order ON contact_disclosures (order_id, shown_at);

-- Append-only, as the archive's access log: a trigger, so no statement of the service's
-- own can rewrite who looked.
CREATE FUNCTION refuse_contact_disclosure_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'contact_disclosures is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER contact_disclosures_append_only
  BEFORE UPDATE OR DELETE ON contact_disclosures
  FOR EACH ROW EXECUTE FUNCTION refuse_contact_disclosure_change();
CREATE TRIGGER contact_disclosures_no_truncate
  BEFORE TRUNCATE ON contact_disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_contact_disclosure_change();
