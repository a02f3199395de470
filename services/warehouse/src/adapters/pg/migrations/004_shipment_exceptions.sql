-- Damage, loss and delay raised on a reservation's goods (domain/shipment-exception.ts):
-- what happened, what the customer was told comes next, and who raised it. Append-only:
-- resolving an exception is a new fact elsewhere (a count, a replacement, an after-sales case).
CREATE TABLE shipment_exceptions (
  exception_id   text PRIMARY KEY,
  reservation_id text NOT NULL REFERENCES reservations (reservation_id),
  order_id       text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('damaged', 'lost', 'delayed')),
  cause          text NOT NULL,
  next_step      text NOT NULL,
  new_eta        text NOT NULL DEFAULT '',
  actor_kind     text NOT NULL,
  actor_id       text NOT NULL,
  actor_role     text NOT NULL,
  raised_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_exceptions_reservation ON shipment_exceptions (reservation_id, raised_at);

CREATE TRIGGER shipment_exceptions_append_only
  BEFORE UPDATE OR DELETE ON shipment_exceptions
  FOR EACH ROW EXECUTE FUNCTION reservation_steps_are_append_only();
