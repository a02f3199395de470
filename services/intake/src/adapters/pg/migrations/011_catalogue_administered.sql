-- The chain's stores and price list are administered through the gateway (ADR 028), not
-- only seeded. Each store's row holds its whole profile: what it publishes (the pre-check's)
-- and the slices the warehouse (routing) and fulfillment (confirmation deadlines) keep of it
-- from StorePublished. `version` 0 is a row the seed wrote and no one administered since;
-- the seed never writes over a row above 0.
ALTER TABLE stores
  ADD COLUMN version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  ADD COLUMN accepting_orders boolean NOT NULL DEFAULT true,
  ADD COLUMN city text NOT NULL DEFAULT '',
  -- Routing across stores (the warehouse's store_routing): lower is preferred.
  ADD COLUMN routing_priority integer NOT NULL DEFAULT 1 CHECK (routing_priority >= 1),
  ADD COLUMN lat double precision CHECK (lat BETWEEN -90 AND 90),
  ADD COLUMN lon double precision CHECK (lon BETWEEN -180 AND 180),
  -- As the warehouse seeds a store without one: routing never turns it down for volume.
  ADD COLUMN daily_capacity integer NOT NULL DEFAULT 1000000000 CHECK (daily_capacity >= 0),
  -- [{"district": "Huangpu", "lat": 31.23, "lon": 121.48}, …]: where the districts it serves lie.
  ADD COLUMN district_locations jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(district_locations) = 'array'),
  -- Fulfillment's store_settings, with its defaults and its checks.
  ADD COLUMN confirmation_follow_up_hours numeric NOT NULL DEFAULT 24 CHECK (confirmation_follow_up_hours > 0),
  ADD COLUMN confirmation_escalation_hours numeric NOT NULL DEFAULT 36 CHECK (confirmation_escalation_hours > 0),
  ADD COLUMN confirmation_cancel_hours numeric NOT NULL DEFAULT 48 CHECK (confirmation_cancel_hours > 0),
  -- "<kind>:<id>" of who published the version in force; NULL for the seed's.
  ADD COLUMN updated_by text,
  ADD CONSTRAINT stores_confirmation_deadlines_in_order CHECK (
    confirmation_follow_up_hours < confirmation_escalation_hours AND confirmation_escalation_hours < confirmation_cancel_hours
  ),
  ADD CONSTRAINT stores_location_whole CHECK ((lat IS NULL) = (lon IS NULL));

-- A withdrawn item stays on the list (orders that hold it still name it) but cannot be ordered.
ALTER TABLE price_list
  ADD COLUMN version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  ADD COLUMN withdrawn_at timestamptz,
  ADD COLUMN withdrawn_reason text,
  ADD COLUMN updated_by text,
  ADD CONSTRAINT price_list_withdrawal_whole CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL));

-- Who changed the catalogue, when, from what to what (DOMAIN.md: every change audited).
-- Appended in the transaction that writes the row and its event; never changed.
CREATE TABLE catalogue_changes (
  change_id      bigserial PRIMARY KEY,
  subject_kind   text NOT NULL CHECK (subject_kind IN ('store', 'item')),
  -- The store id or the item's code.
  subject_id     text NOT NULL,
  version        bigint NOT NULL CHECK (version >= 1),
  actor_kind     text NOT NULL,
  actor_id       text NOT NULL,
  actor_role     text NOT NULL,
  changed_at     timestamptz NOT NULL DEFAULT now(),
  -- NULL when the change created it.
  previous       jsonb,
  current        jsonb NOT NULL,
  correlation_id text NOT NULL,
  UNIQUE (subject_kind, subject_id, version)
);
-- The trail of one store or item, newest first, and the whole catalogue's.
CREATE INDEX catalogue_changes_newest ON catalogue_changes (change_id DESC);

-- Append-only, as the contact disclosures: a trigger rather than a rule, so the caller
-- learns that a change was refused instead of it being ignored silently.
CREATE FUNCTION refuse_catalogue_change_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalogue_changes is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'change the store or the item again; each change is appended';
END;
$$;
CREATE TRIGGER catalogue_changes_append_only
  BEFORE UPDATE OR DELETE ON catalogue_changes
  FOR EACH ROW EXECUTE FUNCTION refuse_catalogue_change_change();
CREATE TRIGGER catalogue_changes_no_truncate
  BEFORE TRUNCATE ON catalogue_changes
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_catalogue_change_change();
