-- The store's rule: an order's lines may ship separately (split over stores, several
-- parcels) without the customer asking for it.
ALTER TABLE stores ADD COLUMN partial_shipments boolean NOT NULL DEFAULT false;
