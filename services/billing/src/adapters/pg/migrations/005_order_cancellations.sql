-- Orders billing heard were cancelled. A cancelled order takes no more payments: what it held
-- went back with the cancellation's refund, and money arriving later is refused, not kept.
CREATE TABLE order_cancellations (
  order_id      text PRIMARY KEY,
  -- The cancellation event ("cancellation:<event id>").
  reference     text NOT NULL,
  reason        text NOT NULL,
  cancelled_by  text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

-- Orders cancelled before this table existed: those that held money show it by their
-- cancellation refund. One that held none left no trace and cannot be recovered here.
INSERT INTO order_cancellations (order_id, reference, reason, cancelled_by, recorded_at)
SELECT DISTINCT ON (order_id) order_id, reference, reason, issued_by, issued_at
FROM refunds
WHERE trigger = 'cancellation'
ORDER BY order_id, position;
