-- A claim against the carrier for goods it damaged (ADR 017, carrier-claim addendum): one per
-- case, on the case's row, so it is changed under the case's lock and read with the case in
-- every view and list without a join. Filed on a case resolved with cause 'carrier' only;
-- then settled with what the carrier paid (0 < recovered <= claimed) or rejected with its
-- reason, once.
ALTER TABLE cases
  ADD COLUMN carrier_claim_status           text CHECK (carrier_claim_status IN ('filed', 'settled', 'rejected')),
  ADD COLUMN carrier_claim_carrier          text CHECK (char_length(carrier_claim_carrier) BETWEEN 1 AND 100),
  -- '' when the carrier's reference or tracking number is not known.
  ADD COLUMN carrier_claim_reference        text CHECK (char_length(carrier_claim_reference) <= 100),
  ADD COLUMN carrier_claim_claimed_minor    bigint CHECK (carrier_claim_claimed_minor > 0),
  ADD COLUMN carrier_claim_currency         text,
  ADD COLUMN carrier_claim_filed_at         timestamptz,
  ADD COLUMN carrier_claim_filed_by         text,
  ADD COLUMN carrier_claim_recovered_minor  bigint,
  ADD COLUMN carrier_claim_rejection_reason text CHECK (char_length(carrier_claim_rejection_reason) BETWEEN 1 AND 2000),
  ADD COLUMN carrier_claim_closed_at        timestamptz,
  ADD COLUMN carrier_claim_closed_by        text,
  -- A filing is whole or absent.
  ADD CHECK (num_nulls(carrier_claim_status, carrier_claim_carrier, carrier_claim_reference, carrier_claim_claimed_minor, carrier_claim_currency,
                       carrier_claim_filed_at, carrier_claim_filed_by) IN (0, 7)),
  -- Only damage the carrier caused, on a resolved case, is claimed.
  ADD CHECK (carrier_claim_status IS NULL OR (status = 'resolved' AND cause = 'carrier')),
  -- What each status carries: a settlement its amount, a rejection its reason, both who and when; a filed claim neither.
  ADD CHECK (CASE carrier_claim_status
               WHEN 'settled' THEN carrier_claim_recovered_minor BETWEEN 1 AND carrier_claim_claimed_minor AND carrier_claim_rejection_reason IS NULL
                                   AND carrier_claim_closed_at IS NOT NULL AND carrier_claim_closed_by IS NOT NULL
               WHEN 'rejected' THEN carrier_claim_recovered_minor IS NULL AND carrier_claim_rejection_reason IS NOT NULL
                                   AND carrier_claim_closed_at IS NOT NULL AND carrier_claim_closed_by IS NOT NULL
               ELSE carrier_claim_recovered_minor IS NULL AND carrier_claim_rejection_reason IS NULL AND carrier_claim_closed_at IS NULL AND carrier_claim_closed_by IS NULL
             END);

-- The report: a store's claims by when they were filed (a claim comes weeks after its case was opened).
CREATE INDEX cases_carrier_claims_filed ON cases (store_id, carrier_claim_filed_at) WHERE carrier_claim_filed_at IS NOT NULL;
