-- A store's orders that ended in a period (ListOrderFigures, billing's reconciliation, ADR 023):
-- only closed and cancelled orders, by when they last changed, which for them is when they ended.
CREATE INDEX orders_store_ended ON orders (store_id, updated_at, order_id) WHERE status IN ('closed', 'cancelled');
