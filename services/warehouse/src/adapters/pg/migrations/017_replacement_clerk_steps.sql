-- An exchange's replacement is picked and packed before it ships, as an order's shipment (ADR
-- 030's seventh addendum). Each step keeps when and who; the pack its parcels and label.
-- Rows already on record when this lands predate the steps (`predates_steps`): a clerk may have
-- their parcel at the desk, and their ship-by node already counts an order's whole way out, so
-- they still ship in one go; every row opened from now on is stepped (the column's default).
ALTER TABLE replacements
  ADD COLUMN predates_steps boolean NOT NULL DEFAULT true,
  ADD COLUMN picked_at      timestamptz,
  ADD COLUMN picked_by      text,
  ADD COLUMN packed_at      timestamptz,
  ADD COLUMN packed_by      text,
  ADD COLUMN parcels        integer,
  ADD COLUMN label          text,
  ADD CONSTRAINT replacements_pick_whole CHECK ((picked_at IS NULL) = (picked_by IS NULL) AND (picked_by IS NULL OR picked_by <> '')),
  ADD CONSTRAINT replacements_pack_whole
    CHECK ((packed_at IS NULL) = (packed_by IS NULL AND parcels IS NULL AND label IS NULL) AND (packed_at IS NULL OR (packed_by <> '' AND parcels >= 1 AND label <> ''))),
  -- Packed only once picked; picked only once reserved (a pick reserves one awaiting stock).
  ADD CONSTRAINT replacements_steps_in_order CHECK ((packed_at IS NULL OR picked_at IS NOT NULL) AND (picked_at IS NULL OR status <> 'awaiting-stock')),
  -- A stepped replacement leaves only packed.
  ADD CONSTRAINT replacements_shipped_packed CHECK (predates_steps OR status <> 'shipped' OR packed_at IS NOT NULL);
ALTER TABLE replacements ALTER COLUMN predates_steps SET DEFAULT false;

-- One time node a step (pick, pack, ship), as an order's (shipment_step_deadlines): a row on
-- record is a ship-by node.
ALTER TABLE replacement_ship_deadlines
  ADD COLUMN step text NOT NULL DEFAULT 'ship' CHECK (step IN ('pick', 'pack', 'ship')),
  DROP CONSTRAINT replacement_ship_deadlines_pkey,
  ADD PRIMARY KEY (case_id, step);
