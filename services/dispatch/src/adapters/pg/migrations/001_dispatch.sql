-- The people work is assigned to. Rows are never deleted: people leave by becoming inactive.
CREATE TABLE staff (
  staff_id    text PRIMARY KEY,
  store_id    text NOT NULL,
  name        text NOT NULL,
  roles       text[] NOT NULL DEFAULT '{}',
  -- [{"skill": "delivery", "level": 2}, ...]
  skills      jsonb NOT NULL DEFAULT '[]',
  regions     text[] NOT NULL DEFAULT '{}',
  capacity    integer NOT NULL CHECK (capacity >= 0),
  shift_start text NOT NULL CHECK (shift_start ~ '^\d{2}:\d{2}$'),
  shift_end   text NOT NULL CHECK (shift_end ~ '^\d{2}:\d{2}$'),
  -- ISO weekdays the shift starts on, 1 = Monday.
  shift_days  integer[] NOT NULL,
  timezone    text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_active_by_store ON staff (store_id, staff_id) WHERE active;

CREATE TABLE tasks (
  task_id           text PRIMARY KEY,
  order_id          text NOT NULL,
  store_id          text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('delivery', 'service', 'pickup-handover')),
  region            text NOT NULL,
  skills            text[] NOT NULL DEFAULT '{}',
  priority          integer NOT NULL,
  due_from          timestamptz,
  due_until         timestamptz,
  status            text NOT NULL CHECK (status IN ('pending', 'assigned', 'acknowledged', 'done', 'cancelled')),
  assignee_staff_id text REFERENCES staff (staff_id),
  -- Token of the Redis lock the current assignment was written under; a writer with an
  -- older token (its lock expired and was taken over) cannot change the row.
  fencing_token     bigint,
  queued_reason     text,
  queued_at         timestamptz,
  -- Pending tasks are tried when this is due; queued ones are retried later, or at once
  -- when the store's staff changes.
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  correlation_id    text NOT NULL,
  -- The AssignmentRequested event that asked for the task.
  causation_id      text NOT NULL,
  traceparent       text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pending') = (assignee_staff_id IS NULL) OR status = 'cancelled')
);
CREATE INDEX tasks_dispatch_queue ON tasks (priority DESC, created_at, task_id COLLATE "C") WHERE status = 'pending';
CREATE INDEX tasks_active_by_assignee ON tasks (assignee_staff_id) WHERE status IN ('assigned', 'acknowledged');
CREATE INDEX tasks_by_order ON tasks (order_id);

-- Every assignment ever made; a task's current one is its only 'open' or 'acknowledged' row.
CREATE TABLE assignments (
  assignment_id  text PRIMARY KEY,
  task_id        text NOT NULL REFERENCES tasks (task_id),
  staff_id       text NOT NULL REFERENCES staff (staff_id),
  fencing_token  bigint NOT NULL,
  assigned_at    timestamptz NOT NULL,
  acknowledge_by timestamptz NOT NULL,
  outcome        text NOT NULL DEFAULT 'open'
                 CHECK (outcome IN ('open', 'acknowledged', 'missed', 'superseded', 'done', 'cancelled')),
  outcome_at     timestamptz
);
CREATE INDEX assignments_by_task ON assignments (task_id, assigned_at);
CREATE INDEX assignments_by_staff ON assignments (staff_id, assigned_at);
-- An order is never assigned to two people at once (DOMAIN.md), whatever the code does.
CREATE UNIQUE INDEX assignments_one_current_per_task ON assignments (task_id) WHERE outcome IN ('open', 'acknowledged');
