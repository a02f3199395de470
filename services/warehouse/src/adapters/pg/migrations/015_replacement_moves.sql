-- An exchange's replacement sent from another store by the desk (ADR 030's third addendum):
-- store_id becomes the store that ships it; these keep where it waited before, when, who and
-- why. Only a replacement awaiting stock moves, and it leaves reserved, so a moved one never
-- waits again, and it never "moves" to the store it left.
ALTER TABLE replacements
  ADD COLUMN moved_from_store_id text,
  ADD COLUMN moved_at            timestamptz,
  ADD COLUMN moved_by            text,
  ADD COLUMN move_reason         text,
  ADD CONSTRAINT replacements_move_whole
    CHECK ((moved_at IS NULL) = (moved_from_store_id IS NULL AND moved_by IS NULL AND move_reason IS NULL)),
  ADD CONSTRAINT replacements_moved_elsewhere_and_reserved
    CHECK (moved_at IS NULL OR (moved_from_store_id <> store_id AND moved_by <> '' AND move_reason <> '' AND status <> 'awaiting-stock'));
