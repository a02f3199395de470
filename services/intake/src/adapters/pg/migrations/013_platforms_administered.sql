-- Marketplaces' settings are administered through the gateway (ADR 028, "Marketplaces'
-- settings"), not only seeded: which store serves a district, which item an item id is,
-- where status changes are pushed. `version` 0 is a platform the seed wrote and no one
-- administered since; the seed never writes over one above 0. Secrets stay out of here.
ALTER TABLE platforms
  ADD COLUMN version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  -- "<kind>:<id>" of who published the version in force; NULL for the seed's.
  ADD COLUMN updated_by text;

-- The catalogue's trail keeps the platforms' changes too (previous and current settings).
ALTER TABLE catalogue_changes DROP CONSTRAINT catalogue_changes_subject_kind_check;
ALTER TABLE catalogue_changes ADD CONSTRAINT catalogue_changes_subject_kind_check CHECK (subject_kind IN ('store', 'item', 'platform'));
