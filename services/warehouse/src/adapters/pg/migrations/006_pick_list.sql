-- The store's pick list: reservations at one step of the way out, most urgent first.
CREATE INDEX reservations_pick_list ON reservations (store_id, status, priority DESC, updated_at, reservation_id);
