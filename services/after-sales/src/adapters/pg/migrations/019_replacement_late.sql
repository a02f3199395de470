-- An exchange's replacement late to ship (ADR 030, sixth addendum): the warehouse's
-- ReplacementShipOverdue about a replacement the case shows reserved at that store. Columns of
-- their own rather than keys in the replacement's jsonb, so the checks below hold them to a
-- reserved replacement (shipping, calling off or moving it clears them) and the desk's worklist
-- has a partial index. All five are set or none.
ALTER TABLE cases
  ADD COLUMN replacement_late_since             timestamptz,
  ADD COLUMN replacement_late_due_at            timestamptz,
  ADD COLUMN replacement_late_level             smallint CHECK (replacement_late_level IN (1, 2)),
  ADD COLUMN replacement_late_responsible_role  text,
  ADD COLUMN replacement_late_escalated_to_role text,
  -- The highest level it was ever late at, kept once it ships: the store's report counts it.
  ADD COLUMN replacement_late_level_reached     smallint CHECK (replacement_late_level_reached IN (1, 2)),
  ADD CONSTRAINT cases_replacement_late_whole
    CHECK (num_nulls(replacement_late_since, replacement_late_due_at, replacement_late_level, replacement_late_responsible_role,
                     replacement_late_escalated_to_role) IN (0, 5)),
  ADD CONSTRAINT cases_replacement_late_while_reserved
    CHECK (replacement_late_since IS NULL OR replacement->>'status' = 'reserved'),
  ADD CONSTRAINT cases_replacement_late_reached
    CHECK (replacement_late_level IS NULL OR replacement_late_level_reached >= replacement_late_level);

-- The desk's worklist: a store's replacements late now, the longest overdue first.
CREATE INDEX cases_replacement_late ON cases (store_id, replacement_late_due_at, case_id) WHERE replacement_late_since IS NOT NULL;
