-- Service windows booked for orders; a window's capacity comes from the staff on shift
-- with the skill, so only the bookings are stored. One booking per order.
CREATE TABLE window_bookings (
  booking_id   text PRIMARY KEY,
  store_id     text NOT NULL,
  skill        text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  order_id     text NOT NULL UNIQUE,
  booked_by    text NOT NULL DEFAULT '',
  booked_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (window_end > window_start)
);
CREATE INDEX window_bookings_by_window ON window_bookings (store_id, skill, window_start);
