-- A whole carrier remittance reversed at once (ADR 017, twenty-sixth session): one row per
-- remittance, at most one, beside the reversal of each of its allocations' receipts
-- (carrier_recovery_reversals, written in the same transaction with the same reason). Its own row
-- says the transfer was reversed whole rather than allocation by allocation, and keeps the reason
-- a retry of the same reversal is recognised by.
CREATE TABLE carrier_remittance_reversals (
  reference   text PRIMARY KEY REFERENCES carrier_remittances (reference),
  reason      text NOT NULL CHECK (length(btrim(reason)) > 0 AND length(reason) <= 500),
  reversed_by text NOT NULL,
  reversed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION carrier_remittance_reversals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a carrier remittance reversal is never changed or removed'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER carrier_remittance_reversals_append_only BEFORE UPDATE OR DELETE ON carrier_remittance_reversals
  FOR EACH ROW EXECUTE FUNCTION carrier_remittance_reversals_append_only();
CREATE TRIGGER carrier_remittance_reversals_no_truncate BEFORE TRUNCATE ON carrier_remittance_reversals
  FOR EACH STATEMENT EXECUTE FUNCTION carrier_remittance_reversals_append_only();
