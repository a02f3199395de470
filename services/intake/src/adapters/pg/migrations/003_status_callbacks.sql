-- Customer-visible status changes of marketplace orders, pushed back to the platform's
-- callback URL by a worker that polls this table; retried with backoff, given up after a
-- number of attempts with the failure kept. One row per fulfillment OrderStatusChanged.
CREATE TABLE status_callbacks (
  event_id         text PRIMARY KEY,
  order_id         text NOT NULL,
  platform         text NOT NULL,
  channel_order_id text NOT NULL,
  status           text NOT NULL,
  reason           text NOT NULL,
  occurred_at      timestamptz NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  -- What went wrong last (an HTTP status or an error code): never the response body.
  last_error       text,
  delivered_at     timestamptz
);
CREATE INDEX status_callbacks_due ON status_callbacks (next_attempt_at) WHERE state = 'pending';
CREATE INDEX status_callbacks_order ON status_callbacks (order_id, occurred_at) WHERE state = 'pending';
