-- A customer's own orders, newest first (GET /v1/customers/{id}/orders): intake keeps who
-- ordered in the accepted order's content; guest orders name no one and are not indexed.
CREATE INDEX orders_by_customer ON orders ((canonical->'customer'->>'customerId'), received_at DESC, order_id DESC)
  WHERE canonical->'customer'->>'customerId' IS NOT NULL;
