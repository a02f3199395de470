CREATE TABLE settlements (
  settlement_id     text PRIMARY KEY,
  order_id          text NOT NULL UNIQUE,
  store_id          text NOT NULL,
  currency          text NOT NULL,
  amount_due_minor  bigint NOT NULL CHECK (amount_due_minor >= 0),
  amount_paid_minor bigint NOT NULL CHECK (amount_paid_minor >= 0),
  payment_method    text NOT NULL,
  status            text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlements_store ON settlements (store_id, created_at);
