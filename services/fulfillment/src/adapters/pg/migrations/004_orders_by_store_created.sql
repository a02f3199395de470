-- A store's orders of a period (GetOrderKpis): the store-and-status index reads every status
-- of the store; this one reads only the period's orders.
CREATE INDEX orders_store_created ON orders (store_id, created_at);
