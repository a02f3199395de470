-- The chain's routing rules (domain/routing.ts): which store serves an online order is
-- decided from its stock (less safety stock), its priority, its distance to the customer's
-- district and how many orders it may take a day. Written from the chain's configuration.
CREATE TABLE store_routing (
  store_id       text PRIMARY KEY,
  priority       integer NOT NULL CHECK (priority >= 1),
  lat            double precision,
  lon            double precision,
  service_areas  text[] NOT NULL,
  daily_capacity integer NOT NULL CHECK (daily_capacity >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE district_locations (
  district text PRIMARY KEY,
  lat      double precision NOT NULL,
  lon      double precision NOT NULL
);

-- Which reservations routing made (only those can be turned down by the store).
ALTER TABLE reservations ADD COLUMN routed boolean NOT NULL DEFAULT false;

-- Orders routing sent each store per day (UTC), against its daily capacity: one counter
-- row per store and day, so weighing capacity costs one read, not a count of the day's orders.
CREATE TABLE store_routed_per_day (
  store_id text NOT NULL,
  day      date NOT NULL,
  routed   integer NOT NULL CHECK (routed >= 0),
  PRIMARY KEY (store_id, day)
);

-- A store turning a routed order down: who, when and why, append-only.
CREATE TABLE reservation_rejections (
  reservation_id text PRIMARY KEY REFERENCES reservations (reservation_id),
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  reason         text NOT NULL,
  actor_kind     text NOT NULL,
  actor_id       text NOT NULL,
  actor_role     text NOT NULL,
  rejected_at    timestamptz NOT NULL DEFAULT now()
);
