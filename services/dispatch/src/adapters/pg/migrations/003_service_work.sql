-- Service orders on site: appointment, arrival, service records, self-inspected delivery
-- reports (kept through rework rounds), exceptions, and step deadlines with escalation.
ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
  CHECK (status IN ('pending', 'assigned', 'acknowledged', 'in-progress', 'reported', 'done', 'cancelled'));
-- 0 before any rework; one more each time the customer refuses the service.
ALTER TABLE tasks ADD COLUMN rework_round integer NOT NULL DEFAULT 0;
-- When the task was done (its order delivered), for workload KPIs.
ALTER TABLE tasks ADD COLUMN closed_at timestamptz;

DROP INDEX tasks_active_by_assignee;
CREATE INDEX tasks_active_by_assignee ON tasks (assignee_staff_id) WHERE status IN ('assigned', 'acknowledged', 'in-progress', 'reported');

-- One row per service task once its appointment is confirmed.
CREATE TABLE service_visits (
  task_id             text PRIMARY KEY REFERENCES tasks (task_id),
  appointment_from    timestamptz NOT NULL,
  appointment_until   timestamptz NOT NULL,
  site_survey_needed  boolean NOT NULL DEFAULT false,
  needs               text NOT NULL DEFAULT '',
  tools_and_materials text[] NOT NULL DEFAULT '{}',
  -- Every confirmation (a re-confirmation moves the appointment) gets a new version: it keys the deadline timers.
  version             integer NOT NULL DEFAULT 1,
  confirmed_by        text NOT NULL,
  confirmed_at        timestamptz NOT NULL,
  checked_in_at       timestamptz,
  checked_in_by       text,
  late_minutes        integer,
  CHECK (appointment_until > appointment_from)
);

CREATE TABLE service_records (
  record_id        text PRIMARY KEY,
  task_id          text NOT NULL REFERENCES tasks (task_id),
  staff_id         text NOT NULL,
  round            integer NOT NULL,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz NOT NULL,
  content          text NOT NULL,
  customer_remarks text NOT NULL DEFAULT '',
  photo_refs       text[] NOT NULL DEFAULT '{}',
  recorded_at      timestamptz NOT NULL,
  CHECK (finished_at >= started_at)
);
CREATE INDEX service_records_by_task ON service_records (task_id, recorded_at);

-- Delivery reports; a refused one stays, with outcome 'rework', next to the new one.
CREATE TABLE service_reports (
  report_id       text PRIMARY KEY,
  task_id         text NOT NULL REFERENCES tasks (task_id),
  staff_id        text NOT NULL,
  round           integer NOT NULL,
  -- [{"item": "...", "passed": true, "note": "..."}]
  checklist       jsonb NOT NULL,
  attachment_refs text[] NOT NULL DEFAULT '{}',
  submitted_at    timestamptz NOT NULL,
  outcome         text NOT NULL DEFAULT 'awaiting-acceptance' CHECK (outcome IN ('awaiting-acceptance', 'accepted', 'rework')),
  outcome_at      timestamptz,
  UNIQUE (task_id, round)
);
CREATE INDEX service_reports_by_staff ON service_reports (staff_id, outcome_at);

CREATE TABLE service_exceptions (
  exception_id text PRIMARY KEY,
  task_id      text NOT NULL REFERENCES tasks (task_id),
  staff_id     text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('late-arrival', 'no-show', 'quality-below-standard')),
  cause        text NOT NULL,
  measure      text NOT NULL,
  new_time     timestamptz,
  reported_at  timestamptz NOT NULL
);
CREATE INDEX service_exceptions_by_task ON service_exceptions (task_id, reported_at);

-- A step's deadline (a time node): open until met; level 1 = the assignee warned, 2 = escalated.
CREATE TABLE step_deadlines (
  task_id       text NOT NULL REFERENCES tasks (task_id),
  step          text NOT NULL CHECK (step IN ('arrival', 'report')),
  store_id      text NOT NULL,
  staff_id      text NOT NULL,
  version       integer NOT NULL,
  due_at        timestamptz NOT NULL,
  level         integer NOT NULL DEFAULT 0,
  overdue_since timestamptz,
  escalated_at  timestamptz,
  met_at        timestamptz,
  PRIMARY KEY (task_id, step)
);
CREATE INDEX step_deadlines_overdue_by_store ON step_deadlines (store_id, due_at) WHERE level > 0 AND met_at IS NULL;
