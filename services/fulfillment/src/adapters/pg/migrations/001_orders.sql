CREATE TABLE orders (
  order_id         text PRIMARY KEY,
  store_id         text NOT NULL,
  channel          text NOT NULL,
  channel_order_id text NOT NULL,
  kind             text NOT NULL,
  status           text NOT NULL,
  hold_reason      text,
  priority         int NOT NULL DEFAULT 0,
  -- The rest of the order (lines, totals, classification, ids of downstream requests).
  -- No customer name, phone, e-mail or street address: fulfillment does not need them.
  body             jsonb NOT NULL,
  version          int NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_store_status ON orders (store_id, status, created_at);
CREATE INDEX orders_created ON orders (created_at, order_id);
CREATE INDEX orders_channel ON orders (channel, created_at);

-- Every step of every order: who, when, what, why (DOMAIN.md: every transition recorded).
CREATE TABLE timeline (
  id         bigserial PRIMARY KEY,
  order_id   text NOT NULL,
  at         timestamptz NOT NULL,
  service    text NOT NULL,
  what       text NOT NULL,
  detail     text NOT NULL DEFAULT '',
  actor      text NOT NULL,
  event_id   text NOT NULL UNIQUE
);
CREATE INDEX timeline_order ON timeline (order_id, at, id);
