-- The time nodes of a reservation's way out (domain/step-deadlines.ts): picked by, packed by,
-- shipped by. A step starts when the reservation can take it and is met when it is taken; a
-- release calls off what was still open. `level` is how far a late step went: 1 = the store's
-- warehouse clerks were warned, 2 = escalated to the store manager. The durable timers that
-- flag them are in `timers` (kind warehouse.shipment-step-deadline).
CREATE TABLE shipment_step_deadlines (
  reservation_id text NOT NULL REFERENCES reservations (reservation_id),
  step           text NOT NULL CHECK (step IN ('pick', 'pack', 'ship')),
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  -- The chain of the step that started the node, so that its warning continues it.
  correlation_id text NOT NULL DEFAULT '',
  due_at         timestamptz NOT NULL,
  level          smallint NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),
  overdue_since  timestamptz,
  escalated_at   timestamptz,
  met_at         timestamptz,
  called_off_at  timestamptz,
  PRIMARY KEY (reservation_id, step)
);

-- The store's late shipments (ListOverdueShipments), oldest deadline first.
CREATE INDEX shipment_step_deadlines_overdue ON shipment_step_deadlines (store_id, due_at)
  WHERE level > 0 AND met_at IS NULL AND called_off_at IS NULL;
