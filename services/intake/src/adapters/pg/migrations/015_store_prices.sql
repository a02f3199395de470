-- A store's own price for an item of the chain's list (ADR 028, addendum): a store in a
-- dearer city, or one clearing stock, charges its own unit price for the same item. The item
-- itself stays the chain's (price_list): description, kind, handling, skills, on sale or not.
-- A removal keeps the row, marked, so that the pair's version only grows: the catalogue
-- topic's consumers apply a publication only when it is newer than the one they hold.
CREATE TABLE store_prices (
  store_id         text NOT NULL REFERENCES stores (store_id),
  sku              text NOT NULL REFERENCES price_list (sku),
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor > 0),
  -- 1 for the pair's first price, one more for each change or removal after.
  version          bigint NOT NULL CHECK (version >= 1),
  -- Set: the store charges the chain's price again; the last price stays for the trail.
  removed_at       timestamptz,
  removed_reason   text,
  -- "<kind>:<id>" of who set or removed the version in force.
  updated_by       text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, sku),
  CONSTRAINT store_prices_removal_whole CHECK ((removed_at IS NULL) = (removed_reason IS NULL))
);

-- The catalogue's trail keeps the stores' prices too, subject "<store id>/<sku>", so that a
-- store's and an item's trail can both show them.
ALTER TABLE catalogue_changes DROP CONSTRAINT catalogue_changes_subject_kind_check;
ALTER TABLE catalogue_changes ADD CONSTRAINT catalogue_changes_subject_kind_check CHECK (subject_kind IN ('store', 'item', 'platform', 'store-price'));
