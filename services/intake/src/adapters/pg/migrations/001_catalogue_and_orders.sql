-- What each store publishes before it takes orders: intake's own copy, for the pre-check.
CREATE TABLE stores (
  store_id                 text PRIMARY KEY,
  name                     text NOT NULL,
  currency                 text NOT NULL,
  service_areas            text[] NOT NULL,
  order_kinds              text[] NOT NULL,
  fulfillment_methods      text[] NOT NULL,
  shipping_fee_minor       bigint NOT NULL CHECK (shipping_fee_minor >= 0),
  free_shipping_from_minor bigint NOT NULL CHECK (free_shipping_from_minor >= 0),
  tax_rate_basis_points    integer NOT NULL CHECK (tax_rate_basis_points >= 0),
  review_threshold_minor   bigint NOT NULL CHECK (review_threshold_minor >= 0),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The chain's price list (one price per code for every store today).
CREATE TABLE price_list (
  sku              text PRIMARY KEY,
  description      text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('goods', 'service')),
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
  handling         text[] NOT NULL DEFAULT '{}',
  skills           text[] NOT NULL DEFAULT '{}',
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Every order intake accepted, as it accepted it. `canonical` holds personal data
-- (name, phone, e-mail, address): it stays in this table and in OrderReceived, never in logs.
CREATE TABLE orders (
  order_id            text PRIMARY KEY,
  channel             text NOT NULL,
  channel_order_id    text NOT NULL,
  -- The Idempotency-Key header of the request that created it, if any.
  idempotency_key     text,
  -- sha256 of the submission, to tell a repeated request from a different one.
  request_fingerprint text NOT NULL,
  store_id            text NOT NULL,
  kind                text NOT NULL,
  status              text NOT NULL DEFAULT 'received',
  grand_total_minor   bigint NOT NULL,
  currency            text NOT NULL,
  canonical           jsonb NOT NULL,
  actor               text NOT NULL,
  correlation_id      text NOT NULL,
  event_id            text NOT NULL,
  received_at         timestamptz NOT NULL,
  -- The same channel order is one order, however many intake instances race for it.
  CONSTRAINT orders_channel_order_unique UNIQUE (channel, channel_order_id)
);
CREATE UNIQUE INDEX orders_idempotency_key_unique ON orders (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_store_received ON orders (store_id, received_at);
