-- One carrier transfer paying several of its settled claims (ADR 017, twenty-fifth session): a
-- remittance under finance's one reference, its allocations booked as receipts of their
-- recoveries (each under `<reference>#<place>`), all in one transaction or none. The reference is
-- spent once across receipts and remittances alike (the command holds it while it looks).
CREATE TABLE carrier_remittances (
  reference   text PRIMARY KEY CHECK (length(reference) > 0),
  carrier     text NOT NULL CHECK (length(carrier) > 0),
  currency    text NOT NULL,
  -- The transfer: the sum of its allocations' receipts.
  total_minor bigint NOT NULL CHECK (total_minor > 0),
  booked_by   text NOT NULL,
  booked_at   timestamptz NOT NULL DEFAULT now()
);
-- The remittance a receipt is an allocation of; NULL for a receipt booked alone.
ALTER TABLE carrier_recovery_receipts ADD COLUMN remittance text REFERENCES carrier_remittances (reference);
CREATE INDEX carrier_recovery_receipts_by_remittance ON carrier_recovery_receipts (remittance, position) WHERE remittance IS NOT NULL;

-- Booked money is not unbooked, a transfer as little as a receipt: an allocation in error is
-- reversed as its receipt (carrier_recovery_reversals).
CREATE FUNCTION carrier_remittances_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a carrier remittance is never changed or removed'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER carrier_remittances_append_only BEFORE UPDATE OR DELETE ON carrier_remittances
  FOR EACH ROW EXECUTE FUNCTION carrier_remittances_append_only();
CREATE TRIGGER carrier_remittances_no_truncate BEFORE TRUNCATE ON carrier_remittances
  FOR EACH STATEMENT EXECUTE FUNCTION carrier_remittances_append_only();
