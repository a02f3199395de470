-- ADR 027 addendum: a task whose order is held for force majeure is paused. held_since is
-- when (NULL: not paused); hold_round counts the pauses, so the timers restarted after the
-- n-th one get keys of their own (a timer key is unique for ever, cancelled ones included).
ALTER TABLE tasks ADD COLUMN held_since timestamptz;
ALTER TABLE tasks ADD COLUMN hold_round int NOT NULL DEFAULT 0;
