-- Stock promised to an order. A shortage creates no row: nothing was promised, and the
-- same reservation id may be requested again once stock is back.
CREATE TABLE reservations (
  reservation_id text PRIMARY KEY,
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  status         text NOT NULL CHECK (status IN ('reserved', 'released', 'shipped')),
  priority       integer NOT NULL DEFAULT 0,
  release_reason text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservations_order ON reservations (order_id);

-- Which location each reserved unit comes from; picking will walk these.
CREATE TABLE reservation_lines (
  reservation_id text NOT NULL REFERENCES reservations (reservation_id),
  sku            text NOT NULL,
  location       text NOT NULL,
  quantity       integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, sku, location)
);
