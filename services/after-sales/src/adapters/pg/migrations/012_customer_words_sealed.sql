-- The customer's own words — a case's description, a satisfaction answer's comment — name
-- people, phones and addresses (DOMAIN.md, Information security: personal data encrypted at
-- rest; ADR 017's sealing addendum). From now on they are kept sealed (AES-256-GCM under
-- AFTERSALES_PERSONAL_DATA_KEYS, bound to the case, or to the order's satisfaction), the clear
-- column left empty; rows stored before are sealed at after-sales' next start
-- (app/seal-stored-words.ts), after which none is left in the clear.
ALTER TABLE cases ADD COLUMN description_sealed bytea;
ALTER TABLE cases DROP CONSTRAINT cases_description_check;
-- Either sealed with nothing in the clear, or (a row from before, not yet upgraded) in the clear: never both, never neither.
ALTER TABLE cases ADD CONSTRAINT cases_description_sealed_or_clear
  CHECK ((description_sealed IS NOT NULL AND description = '') OR (description_sealed IS NULL AND char_length(description) BETWEEN 1 AND 2000));

-- A comment may be empty, so an old row without one is told from a sealed row only by the
-- seal: a sealed row holds nothing in the clear.
ALTER TABLE satisfaction ADD COLUMN comment_sealed bytea;
ALTER TABLE satisfaction ADD CONSTRAINT satisfaction_comment_sealed_or_clear CHECK (comment_sealed IS NULL OR comment = '');
