-- Marketplaces that push orders to intake: where their orders go and what their items are.
-- Secrets are not here: they come from INTAKE_PLATFORM_SECRETS (or the demo chain when seeding the demo).
CREATE TABLE platforms (
  platform         text PRIMARY KEY,
  -- Orders whose district no route names go here; NULL: such orders are refused.
  default_store_id text,
  -- Where customer-visible status changes are pushed back, if the platform wants them.
  callback_url     text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- A district (as the platform spells it, compared loosely) served by one of our stores.
CREATE TABLE platform_store_routes (
  platform text NOT NULL REFERENCES platforms (platform),
  district text NOT NULL,
  store_id text NOT NULL,
  PRIMARY KEY (platform, district)
);

-- The platform's item id → our SKU.
CREATE TABLE platform_items (
  platform text NOT NULL REFERENCES platforms (platform),
  item_id  text NOT NULL,
  sku      text NOT NULL,
  PRIMARY KEY (platform, item_id)
);

-- Customers whose orders always go to manual review; keys are "id:<customerId>" or "phone:<digits>".
CREATE TABLE flagged_customers (
  customer_key text PRIMARY KEY,
  reason       text NOT NULL,
  flagged_at   timestamptz NOT NULL DEFAULT now()
);

-- A line quantity above this sends the order to manual review (doubtful content).
ALTER TABLE stores ADD COLUMN review_line_quantity_above integer NOT NULL DEFAULT 50 CHECK (review_line_quantity_above > 0);

-- Orders waiting for (or decided by) a reviewer. orders.status is 'in-review', then 'received' or 'rejected'.
ALTER TABLE orders ADD COLUMN review_id text UNIQUE;
CREATE TABLE reviews (
  review_id         text PRIMARY KEY,
  order_id          text NOT NULL UNIQUE REFERENCES orders (order_id),
  store_id          text NOT NULL,
  channel           text NOT NULL,
  reasons           text[] NOT NULL,
  grand_total_minor bigint NOT NULL,
  currency          text NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_at      timestamptz NOT NULL,
  decided_at        timestamptz,
  decided_by        text,
  -- The reviewer's note (approval) or reason (rejection); the reason is what the customer is told.
  decision_text     text
);
CREATE INDEX reviews_pending_by_store ON reviews (store_id, requested_at) WHERE status = 'pending';
