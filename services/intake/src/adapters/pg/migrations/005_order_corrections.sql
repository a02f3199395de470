-- Correction requests (DOMAIN.md: an order taker cannot change an order's content on their
-- own). A row is the request, the supervisor's decision and, once applied, the audit entry:
-- `changes` is what was asked for and `previous` what it replaced. Both may hold personal
-- data (a phone number, an address): they stay in this table, like orders.canonical.
CREATE TABLE order_corrections (
  correction_id  text PRIMARY KEY,
  order_id       text NOT NULL REFERENCES orders (order_id),
  store_id       text NOT NULL,
  fields         text[] NOT NULL,
  changes        jsonb NOT NULL,
  reason         text NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
  requested_by   text NOT NULL,
  requested_at   timestamptz NOT NULL,
  previous       jsonb,
  decided_by     text,
  decided_at     timestamptz,
  decision_text  text
);
-- One open request per order: a second would be decided against content the first may change.
CREATE UNIQUE INDEX order_corrections_one_pending ON order_corrections (order_id) WHERE status = 'pending';
CREATE INDEX order_corrections_pending_by_store ON order_corrections (store_id, requested_at) WHERE status = 'pending';
CREATE INDEX order_corrections_by_order ON order_corrections (order_id, requested_at);
