-- A settlement dispute's statement is the opener's own words and may name them (DOMAIN.md,
-- Information security: personal data encrypted at rest). From now on it is kept sealed
-- (AES-256-GCM under BILLING_PERSONAL_DATA_KEYS, bound to the dispute), `statement` left
-- empty; rows stored before are sealed at billing's next start (seal-stored-statements.ts).
ALTER TABLE settlement_disputes ADD COLUMN statement_sealed bytea;
ALTER TABLE settlement_disputes DROP CONSTRAINT settlement_disputes_statement_check;
ALTER TABLE settlement_disputes ADD CONSTRAINT settlement_disputes_statement_sealed_or_clear
  CHECK ((statement_sealed IS NOT NULL AND statement = '') OR (statement_sealed IS NULL AND length(statement) > 0));
