import type { Migration } from "@oms/postgres";

export const timerMigrations: Migration[] = [
  {
    id: "timers/001_timers",
    sql: `
      CREATE TABLE timers (
        id           bigserial PRIMARY KEY,
        kind         text NOT NULL,
        timer_key    text NOT NULL,
        order_id     text NOT NULL,
        due_at       timestamptz NOT NULL,
        payload      jsonb NOT NULL DEFAULT '{}',
        attempts     int NOT NULL DEFAULT 0,
        last_error   text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        fired_at     timestamptz,
        cancelled_at timestamptz,
        failed_at    timestamptz,
        UNIQUE (kind, timer_key)
      );
      CREATE INDEX timers_due ON timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL;
    `,
  },
  {
    // Infrastructure failures in a row (a deadlock, a lost connection): they set the timer's
    // next try back further each time but, unlike `attempts`, never set it aside.
    id: "timers/002_outages",
    sql: "ALTER TABLE timers ADD COLUMN outages int NOT NULL DEFAULT 0",
  },
];
