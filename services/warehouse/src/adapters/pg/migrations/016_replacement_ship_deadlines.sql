-- An exchange's replacement's time node (ADR 030's fifth addendum): once reserved at a store it
-- must be shipped by `due_at` (reserved + the whole allowance of an order's way out: pick, pack
-- and ship, since a replacement has no steps of its own). Late, the store's warehouse clerks are
-- warned (level 1), then its store manager (level 2), as for an order's shipment steps
-- (shipment_step_deadlines, migration 009). Met when shipped, called off with the replacement.
-- One row a case: `store_id` is the store whose clerks ship it; a move to another store starts
-- the node again there (the durable timers name the store, so the old store's never flag it).
CREATE TABLE replacement_ship_deadlines (
  case_id        text PRIMARY KEY REFERENCES replacements (case_id),
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  -- The chain of the step that reserved it (the acceptance, the rise, the move), so that its warning continues it.
  correlation_id text NOT NULL DEFAULT '',
  started_at     timestamptz NOT NULL,
  due_at         timestamptz NOT NULL CHECK (due_at > started_at),
  level          smallint NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),
  overdue_since  timestamptz,
  escalated_at   timestamptz,
  met_at         timestamptz,
  called_off_at  timestamptz,
  CHECK (met_at IS NULL OR called_off_at IS NULL),
  CHECK ((level = 0) = (overdue_since IS NULL)),
  CHECK ((level = 2) = (escalated_at IS NOT NULL))
);

-- The store's late replacements (ListOverdueShipments, beside the orders' steps), oldest deadline first.
CREATE INDEX replacement_ship_deadlines_overdue ON replacement_ship_deadlines (store_id, due_at)
  WHERE level > 0 AND met_at IS NULL AND called_off_at IS NULL;
