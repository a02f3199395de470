-- A split order is listed at every store serving a part of it; only split orders carry parts.
CREATE INDEX orders_part_stores ON orders USING gin ((body -> 'parts') jsonb_path_ops) WHERE body ? 'parts';
