-- The on-site visit of a repair or maintenance case (ADR 025), as dispatch reported it: its
-- task, where it stands, who holds it, the appointment, the outcome and the exceptions on the
-- way. One document, written whole under the case's row lock; NULL for other cases.
ALTER TABLE cases
  ADD COLUMN visit jsonb CHECK (visit IS NULL OR (jsonb_typeof(visit) = 'object' AND kind IN ('repair', 'maintenance')));
