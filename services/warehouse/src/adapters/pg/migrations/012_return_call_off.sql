-- An expected return called off by the after-sales desk (ADR 021, addendum): its goods will
-- not come (the customer kept them, the parcel was lost). Who, when and why, set once; goods
-- that arrive after all are still received, so received_at may follow.
ALTER TABLE expected_returns
  ADD COLUMN called_off_at     timestamptz,
  ADD COLUMN called_off_by     text,
  ADD COLUMN called_off_reason text,
  ADD CONSTRAINT expected_returns_call_off_whole CHECK (
    (called_off_at IS NULL AND called_off_by IS NULL AND called_off_reason IS NULL)
    OR (called_off_at IS NOT NULL AND called_off_by <> '' AND called_off_reason <> '')
  );

-- The receiving list is what is still coming: neither all back nor called off.
DROP INDEX expected_returns_open;
CREATE INDEX expected_returns_open ON expected_returns (store_id, expected_since, case_id) WHERE received_at IS NULL AND called_off_at IS NULL;
