-- Stores administered through the gateway (ADR 028): intake publishes each store's profile
-- (StorePublished) and fulfillment keeps its confirmation deadlines. profile_version is the
-- version of the publication the row holds: 0 while the row only ever came from the demo seed
-- or the service's configuration (the '*' defaults), which write it only while it is 0 (a
-- seed never undoes administration). A publication is applied only when newer than it, so a
-- re-delivery or a replay changes nothing.
ALTER TABLE store_settings ADD COLUMN profile_version bigint NOT NULL DEFAULT 0 CHECK (profile_version >= 0);
