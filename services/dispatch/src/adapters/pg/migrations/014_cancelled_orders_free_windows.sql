-- A cancelled order's booked service window is freed for other customers: until now the
-- booking kept its place in the window for good, so every cancelled service order made a
-- window look full to the next customer. The booking stays, with when it was released
-- (who booked what, and why it ended, remain readable).
ALTER TABLE window_bookings ADD COLUMN released_at timestamptz;

-- Orders dispatch has seen cancelled: a booking arriving after the cancellation (the
-- order taker's screen was stale, or the booking raced the cancellation) is refused
-- instead of taking a place nobody will use. Booking and cancellation serialise on the
-- order (an advisory lock), so neither can miss the other.
CREATE TABLE cancelled_orders (
  order_id     text PRIMARY KEY,
  cancelled_at timestamptz NOT NULL
);

-- Bookings of orders cancelled before this migration: an order whose every task was
-- cancelled frees its window now (a task also closes as cancelled when its order was
-- delivered by someone else; that order's window has passed, so freeing it changes nothing).
UPDATE window_bookings b SET released_at = now()
WHERE EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = b.order_id AND t.origin = 'order' AND t.status = 'cancelled')
  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.order_id = b.order_id AND t.origin = 'order' AND t.status <> 'cancelled');
