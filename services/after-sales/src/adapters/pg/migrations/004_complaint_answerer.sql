-- Who answered a complaint: an answer repeated by the same person with the same text (a retry
-- after a lost response) is answered with the case as it is. Complaints answered before this
-- migration name no one, so a repeat of their answer stays refused.
ALTER TABLE cases
  ADD COLUMN answered_by text,
  ADD CHECK (answered_at IS NOT NULL OR answered_by IS NULL);
