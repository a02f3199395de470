-- Stock per store, SKU and location. on_hand is what is physically there, reserved units
-- included; reserved is the part promised to orders; safety_stock is never promised.
-- reserved <= on_hand is the database's last word on "never oversell".
-- The key sorts in byte order (COLLATE "C"): the lock order of adapters/pg/stock-locks.ts.
CREATE TABLE stock (
  store_id              text COLLATE "C" NOT NULL,
  sku                   text COLLATE "C" NOT NULL,
  location              text COLLATE "C" NOT NULL,
  on_hand               integer NOT NULL CHECK (on_hand >= 0),
  reserved              integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  safety_stock          integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  expected_restock_date date,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, sku, location),
  CHECK (reserved <= on_hand)
);

-- Every change of stock, append-only. Per store/SKU/location the books balance when
--   on_hand  = received + count-correction - shipped
--   reserved = reserved - released - shipped
-- i.e. (on_hand - reserved) + reserved + shipped = received + count corrections.
-- Quantities are positive, except count corrections, which are signed deltas.
CREATE TABLE stock_movements (
  movement_id    bigserial PRIMARY KEY,
  store_id       text NOT NULL,
  sku            text NOT NULL,
  location       text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('received', 'reserved', 'released', 'shipped', 'count-correction')),
  quantity       integer NOT NULL,
  order_id       text,
  reservation_id text,
  reason         text NOT NULL DEFAULT '',
  actor_kind     text NOT NULL,
  actor_id       text NOT NULL,
  actor_role     text NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'count-correction' AND quantity <> 0) OR (kind <> 'count-correction' AND quantity > 0))
);
CREATE INDEX stock_movements_item ON stock_movements (store_id, sku, location, movement_id);
CREATE INDEX stock_movements_order ON stock_movements (order_id) WHERE order_id IS NOT NULL;

-- The ledger is evidence: a wrong movement is corrected by another movement, never edited.
CREATE FUNCTION stock_movements_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is append-only; record a correcting movement instead';
END;
$$;
CREATE TRIGGER stock_movements_append_only
  BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_are_append_only();
