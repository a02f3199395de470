import type { Migration } from "@oms/postgres";

/**
 * Tables every service that produces or consumes events has in its own schema:
 * the outbox (events written with the state change, until they are published) and the
 * inbox of processed ids (recorded with the effect, so redelivery is harmless).
 */
export const messagingMigrations: Migration[] = [
  {
    id: "messaging/001_outbox_and_inbox",
    sql: `
      CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        event_id     text NOT NULL UNIQUE,
        topic        text NOT NULL,
        message_key  text NOT NULL,
        event_type   text NOT NULL,
        payload      bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
      CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

      CREATE TABLE processed_events (
        consumer     text NOT NULL,
        event_id     text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      );
    `,
  },
  {
    // Published rows are deleted by the relay's pass (ADR 004's addendum): marking them
    // wrote each payload to the WAL a second time, with new entries in three indexes.
    id: "messaging/002_outbox_holds_only_unpublished",
    sql: `
      DELETE FROM outbox WHERE published_at IS NOT NULL;
      DROP INDEX outbox_unpublished;
      DROP INDEX outbox_published_at;
      ALTER TABLE outbox DROP COLUMN published_at;
    `,
  },
  {
    // The inbox is pruned by age (inbox-pruner.ts). Rows are appended in time order, so a
    // block range index finds the old ones at a fraction of a b-tree's upkeep per insert.
    id: "messaging/003_inbox_pruned_by_age",
    sql: `CREATE INDEX processed_events_processed_at ON processed_events USING brin (processed_at);`,
  },
];
