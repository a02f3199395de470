-- An accepted exchange's replacement goods leaving the order's store (ADR 030). One row a
-- case: lines [{"sku", "quantity"}] as the case named them, reserved [{"sku", "location",
-- "quantity"}] where its units are promised (empty while awaiting stock).
CREATE TABLE replacements (
  case_id           text PRIMARY KEY,
  order_id          text NOT NULL,
  store_id          text NOT NULL,
  lines             jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array' AND jsonb_array_length(lines) > 0),
  reserved          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(reserved) = 'array'),
  status            text NOT NULL CHECK (status IN ('reserved', 'awaiting-stock', 'shipped', 'called-off')),
  since             timestamptz NOT NULL,
  reserved_at       timestamptz,
  carrier           text,
  tracking_number   text,
  shipped_at        timestamptz,
  shipped_by        text,
  called_off_at     timestamptz,
  called_off_by     text,
  called_off_reason text,
  -- A shipped one names its carrier, tracking number, when and who; a called-off one when, who and why.
  CHECK ((status = 'shipped') = (shipped_at IS NOT NULL AND carrier <> '' AND tracking_number <> '' AND shipped_by <> '')),
  CHECK ((status = 'called-off') = (called_off_at IS NOT NULL AND called_off_by <> '' AND called_off_reason <> '')),
  CHECK (status IN ('awaiting-stock', 'called-off') OR (reserved_at IS NOT NULL AND jsonb_array_length(reserved) > 0))
);
-- The store's replacements to ship (ListReplacements): the oldest acceptance first.
CREATE INDEX replacements_to_ship ON replacements (store_id, since, case_id) WHERE status IN ('reserved', 'awaiting-stock');
