-- A reservation's way out of the store (domain/shipment.ts): ready to pick once fulfillment
-- asks for the shipment, picked, packed and labelled, then shipped by a carrier or handed
-- over at the counter (pick-up orders).
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('reserved', 'ready-to-pick', 'picked', 'packed', 'shipped', 'handed-over', 'released'));

-- The destination is not kept: it is personal data, and fulfillment holds it.
ALTER TABLE reservations
  ADD COLUMN fulfillment_method text NOT NULL DEFAULT '',
  ADD COLUMN parcels            integer CHECK (parcels > 0),
  ADD COLUMN label              text,
  ADD COLUMN shipment_id        text,
  ADD COLUMN carrier            text,
  ADD COLUMN tracking_number    text;

-- Who moved the reservation on, when, and with what detail; append-only like the stock ledger.
-- Steps that move stock (shipped, handed-over) are in stock_movements as well.
CREATE TABLE reservation_steps (
  step_id        bigserial PRIMARY KEY,
  reservation_id text NOT NULL REFERENCES reservations (reservation_id),
  status         text NOT NULL,
  detail         text NOT NULL DEFAULT '',
  actor_kind     text NOT NULL,
  actor_id       text NOT NULL,
  actor_role     text NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservation_steps_reservation ON reservation_steps (reservation_id, step_id);

CREATE FUNCTION reservation_steps_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'reservation_steps is append-only';
END;
$$;
CREATE TRIGGER reservation_steps_append_only
  BEFORE UPDATE OR DELETE ON reservation_steps
  FOR EACH ROW EXECUTE FUNCTION reservation_steps_are_append_only();
