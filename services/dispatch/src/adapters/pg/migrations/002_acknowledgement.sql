-- Acknowledgement deadlines, reassignment without the people who declined or missed a
-- task, absences, teams and per-store dispatch rules.
ALTER TABLE staff ADD COLUMN team_id text NOT NULL DEFAULT '';

-- Leave, sickness and days off; a person is not offered work while absent.
CREATE TABLE staff_absences (
  staff_id     text NOT NULL REFERENCES staff (staff_id),
  absent_from  timestamptz NOT NULL,
  absent_until timestamptz NOT NULL,
  reason       text NOT NULL DEFAULT '',
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (absent_until > absent_from)
);
CREATE INDEX staff_absences_by_staff ON staff_absences (staff_id, absent_until);

-- A store without a row (or with NULLs) uses the service's defaults.
CREATE TABLE store_settings (
  store_id                   text PRIMARY KEY,
  acknowledge_within_seconds integer CHECK (acknowledge_within_seconds > 0),
  preferred_staff_id         text,
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

-- People who declined, missed or were withdrawn from the task: it is not offered to them again.
ALTER TABLE tasks ADD COLUMN excluded_staff_ids text[] NOT NULL DEFAULT '{}';

ALTER TABLE assignments DROP CONSTRAINT assignments_outcome_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_outcome_check
  CHECK (outcome IN ('open', 'acknowledged', 'declined', 'missed', 'withdrawn', 'superseded', 'done', 'cancelled'));
ALTER TABLE assignments ADD COLUMN outcome_reason text NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN acknowledged_at timestamptz;
