-- Stores administered through the gateway (ADR 028): intake publishes each store's profile
-- (StorePublished) and the warehouse keeps its routing slice. profile_version is the version
-- of the publication the row holds: 0 while the row only ever came from the demo seed, which
-- writes a store only while it is 0 (a seed never undoes administration). A publication is
-- applied only when newer than it, so a re-delivery or a replay changes nothing.
ALTER TABLE store_routing
  ADD COLUMN accepting_orders boolean NOT NULL DEFAULT true,
  ADD COLUMN profile_version  bigint  NOT NULL DEFAULT 0 CHECK (profile_version >= 0);

-- The store whose publication placed the district last (NULL: the demo seed did): the seed
-- moves only districts no publication placed; between publications, the later one wins.
ALTER TABLE district_locations ADD COLUMN published_by text;
