-- The facts after-sales checks requests against; filled from fulfillment's events.
CREATE TABLE order_facts (
  order_id     text PRIMARY KEY,
  store_id     text NOT NULL,
  kind         text NOT NULL,
  status       text NOT NULL,
  delivered_at timestamptz,
  closed_at    timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
