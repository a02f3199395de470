-- Every payment received for an order; the reference makes a repeated confirmation harmless.
CREATE TABLE payments (
  payment_id    text PRIMARY KEY,
  order_id      text NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      text NOT NULL,
  method        text NOT NULL,
  reference     text NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, reference)
);
