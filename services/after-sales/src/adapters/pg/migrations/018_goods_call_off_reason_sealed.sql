-- The desk's reason for calling off a return's goods (ADR 021's addendum) is staff's free text
-- and may name the customer, their phone or their address. Since the twenty-fourth session the
-- warehouse seals it on ReturnCalledOff (ADR 024, twenty-fourth-session addendum) and the case
-- keeps the sealed bytes as they came (under WAREHOUSE_PERSONAL_DATA_KEYS, bound to
-- "warehouse-return-call-off:<case_id>"), the clear column left empty. Rows stored before are
-- sealed at after-sales' next start (app/seal-stored-words.ts), as migration 012's descriptions were.
ALTER TABLE cases
  ADD COLUMN goods_called_off_reason_sealed bytea,
  -- Sealed: nothing in the clear; only with a call-off.
  ADD CONSTRAINT cases_goods_called_off_reason_sealed_or_clear
    CHECK (goods_called_off_reason_sealed IS NULL OR (goods_called_off_reason = '' AND goods_called_off_at IS NOT NULL));

-- A case view now also shows the call-off reason it opens: the showings' log names that field too.
ALTER TABLE case_disclosures DROP CONSTRAINT case_disclosures_fields_check;
ALTER TABLE case_disclosures ADD CONSTRAINT case_disclosures_fields_check
  CHECK (cardinality(fields) > 0 AND fields <@ ARRAY['description', 'goods-called-off-reason']::text[]);
