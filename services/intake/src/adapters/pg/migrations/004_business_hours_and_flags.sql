-- Business hours on the store's own clock (domain/business-hours.ts). All NULL: the store
-- publishes no hours and takes every order around the clock. Days are ISO, 1 = Monday.
ALTER TABLE stores
  ADD COLUMN timezone  text,
  ADD COLUMN opens_at  text CHECK (opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN closes_at text CHECK (closes_at ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' AND closes_at <> '00:00'),
  ADD COLUMN open_days smallint[] CHECK (open_days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),
  ADD CONSTRAINT stores_business_hours_whole CHECK (
    (opens_at IS NULL AND closes_at IS NULL AND open_days IS NULL)
    OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND open_days IS NOT NULL AND timezone IS NOT NULL AND opens_at <> closes_at)
  );

-- Who flagged a customer (an actor label, e.g. "staff:s-7"); flagged_at is when, updated by a new flag.
-- NULL for customers flagged before the API existed.
ALTER TABLE flagged_customers ADD COLUMN flagged_by text;
-- The flag list is read newest first, paged by (flagged_at, customer_key).
CREATE INDEX flagged_customers_newest ON flagged_customers (flagged_at DESC, customer_key DESC);
