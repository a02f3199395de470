-- Goods coming back from accepted after-sales returns and exchanges (ADR 021).

-- What each accepted return or exchange sends back to the order's store, and what came back
-- of it so far: lines [{"sku", "expected", "restocked", "writtenOff"}]. One row a case.
CREATE TABLE expected_returns (
  case_id        text PRIMARY KEY,
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('return', 'exchange')),
  lines          jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array' AND jsonb_array_length(lines) > 0),
  expected_since timestamptz NOT NULL,
  -- Set once every unit came back: the return leaves the store's receiving list.
  received_at    timestamptz
);
-- The store's receiving list (ListExpectedReturns): what is still expected, the longest first.
CREATE INDEX expected_returns_open ON expected_returns (store_id, expected_since, case_id) WHERE received_at IS NULL;

-- Each receipt of a return once, by the clerk's own id (ADR 015) within its case: the
-- inspection as the clerk recorded it, [{"sku", "resellable", "location", "writeOffs"}].
CREATE TABLE return_receipts (
  case_id      text NOT NULL REFERENCES expected_returns (case_id),
  receipt_id   text NOT NULL,
  store_id     text NOT NULL,
  order_id     text NOT NULL,
  lines        jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
  restocked    int NOT NULL CHECK (restocked >= 0),
  written_off  int NOT NULL CHECK (written_off >= 0),
  received_by  text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (restocked + written_off > 0),
  PRIMARY KEY (case_id, receipt_id)
);

-- Returned units that never went back on hand: damaged or unsellable, with the cause. The
-- books of what was written off, append-only like the movement ledger.
CREATE TABLE stock_write_offs (
  write_off_id bigserial PRIMARY KEY,
  store_id     text NOT NULL,
  sku          text NOT NULL,
  quantity     int NOT NULL CHECK (quantity > 0),
  condition    text NOT NULL CHECK (condition IN ('damaged', 'unsellable')),
  cause        text NOT NULL CHECK (cause <> ''),
  case_id      text NOT NULL,
  receipt_id   text NOT NULL,
  order_id     text NOT NULL,
  actor_kind   text NOT NULL,
  actor_id     text NOT NULL,
  actor_role   text NOT NULL,
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (case_id, receipt_id) REFERENCES return_receipts (case_id, receipt_id)
);
CREATE INDEX stock_write_offs_item ON stock_write_offs (store_id, sku, write_off_id);
CREATE TRIGGER stock_write_offs_append_only
  BEFORE UPDATE OR DELETE ON stock_write_offs
  FOR EACH ROW EXECUTE FUNCTION stock_movements_are_append_only();

-- Resellable returned units go back on hand with a 'returned' movement naming the order, the
-- case and the return receipt (case_id, receipt_id), so the books balance as
--   on_hand = received + returned + count corrections - shipped.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check
  CHECK (kind IN ('received', 'reserved', 'released', 'shipped', 'count-correction', 'returned'));
ALTER TABLE stock_movements ADD COLUMN case_id text;
