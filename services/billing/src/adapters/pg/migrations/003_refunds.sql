-- Money taken when the order was placed (prepaid website/app orders, marketplace orders that
-- arrive paid). Billing learns it from the order's creation, so a cancellation before any
-- settlement exists still finds what to refund.
CREATE TABLE prepayments (
  order_id      text PRIMARY KEY,
  store_id      text NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      text NOT NULL,
  method        text NOT NULL,
  -- "marketplace:<platform>" orders are refunded by the platform.
  channel       text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

-- Settlements prepared before this table existed: their prepaid part is what was paid beyond
-- the recorded payments. Their channel is unknown (refunds go to the payment method).
INSERT INTO prepayments (order_id, store_id, amount_minor, currency, method, channel)
SELECT s.order_id, s.store_id, s.amount_paid_minor - coalesce(p.total, 0), s.currency, s.payment_method, ''
FROM settlements s
LEFT JOIN (SELECT order_id, sum(amount_minor) AS total FROM payments GROUP BY order_id) p USING (order_id)
WHERE s.amount_paid_minor - coalesce(p.total, 0) > 0;

-- Every refund: money back to one payment method from one source ("prepayment" or a payment id),
-- with who caused it and why. The reference (the cancellation event, the clerk's voucher) makes
-- a repeated request harmless.
CREATE TABLE refunds (
  refund_id     text PRIMARY KEY,
  order_id      text NOT NULL,
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      text NOT NULL,
  method        text NOT NULL,
  source        text NOT NULL,
  reason        text NOT NULL,
  trigger       text NOT NULL CHECK (trigger IN ('cancellation', 'finance')),
  reference     text NOT NULL,
  issued_by     text NOT NULL,
  issued_at     timestamptz NOT NULL DEFAULT now(),
  -- Refunds of one request share issued_at (the transaction's time): this keeps their order.
  position      bigint GENERATED ALWAYS AS IDENTITY,
  UNIQUE (order_id, reference, source)
);
CREATE INDEX refunds_order ON refunds (order_id, position);
