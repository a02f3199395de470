-- A correction's requested values and the values it replaced may be personal data (a
-- phone number, an address): sealed like the order's contact (ADR 024), bound to the
-- correction. The clear columns stay for rows stored before, until intake's start seals them
-- (app/seal-stored-contacts.ts); a row holds its values one way or the other, never both.
ALTER TABLE order_corrections
  ALTER COLUMN changes DROP NOT NULL,
  ADD COLUMN sealed_changes bytea,
  ADD COLUMN sealed_previous bytea,
  ADD CONSTRAINT order_corrections_changes_once CHECK ((changes IS NULL) <> (sealed_changes IS NULL)),
  ADD CONSTRAINT order_corrections_previous_once CHECK (previous IS NULL OR sealed_previous IS NULL);
