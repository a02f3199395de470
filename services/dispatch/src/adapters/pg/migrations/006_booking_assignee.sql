-- A booked window is tied to the person who will do the visit: whoever holds the order's
-- service task (on shift for the whole window, with no other visit then). Empty until the
-- task is assigned, and again while it waits for someone else after a withdrawal.
ALTER TABLE window_bookings ADD COLUMN assigned_staff_id text;
