-- Force majeure declared over a store, or some of its districts (ADR 027). The id is the
-- caller's (ADR 015): a declaration sent again finds itself here.
CREATE TABLE force_majeure_events (
  event_id        text PRIMARY KEY,
  store_id        text NOT NULL,
  districts       text[] NOT NULL DEFAULT '{}',
  kind            text NOT NULL,
  cause           text NOT NULL,
  from_at         timestamptz NOT NULL,
  expected_until  timestamptz,
  declared_by     text NOT NULL,
  declared_at     timestamptz NOT NULL DEFAULT now(),
  lifted_at       timestamptz,
  lifted_by       text
);
CREATE INDEX force_majeure_declared ON force_majeure_events (store_id) WHERE lifted_at IS NULL;
-- The orders a declaration held (lifting finds them by it).
CREATE INDEX orders_force_majeure ON orders ((body -> 'forceMajeure' ->> 'eventId')) WHERE body ? 'forceMajeure';
