-- Money a carrier owes the chain on a settled claim (ADR 017, second carrier addendum): one
-- recovery per case, written when after-sales announces the claim settled, and the receipts
-- finance books against it as the carrier pays. Billing's other money is a customer's, per
-- order; this is a third party's, per case, so it has tables of its own.
CREATE TABLE carrier_recoveries (
  case_id           text PRIMARY KEY,
  order_id          text NOT NULL,
  store_id          text NOT NULL,
  -- As the claim was filed; '' only for a settlement announced before the event carried it.
  carrier           text NOT NULL,
  carrier_reference text NOT NULL,
  due_minor         bigint NOT NULL CHECK (due_minor > 0),
  currency          text NOT NULL,
  -- The sum of the receipts below, kept on the row so the database itself holds it within
  -- what the carrier agreed: a receipt adds to it under the row's lock.
  received_minor    bigint NOT NULL DEFAULT 0 CHECK (received_minor >= 0 AND received_minor <= due_minor),
  -- When after-sales recorded the settlement (the event's time), and when billing heard of it.
  settled_at        timestamptz NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now()
);
-- Finance's list: a store's recoveries, the oldest settlement first.
CREATE INDEX carrier_recoveries_by_store ON carrier_recoveries (store_id, settled_at, case_id);

-- One row per payment booked. Finance's reference is the receipt's for good, across every
-- recovery: the same bank line booked twice would count the money twice.
CREATE TABLE carrier_recovery_receipts (
  reference     text PRIMARY KEY CHECK (length(reference) > 0),
  case_id       text NOT NULL REFERENCES carrier_recoveries (case_id),
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      text NOT NULL,
  received_by   text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  -- Receipts of one recovery in the order they were booked (received_at is the transaction's time).
  position      bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX carrier_recovery_receipts_by_case ON carrier_recovery_receipts (case_id, position);
-- The reconciliation's period reads receipts by when they were booked.
CREATE INDEX carrier_recovery_receipts_by_time ON carrier_recovery_receipts (received_at);

-- Booked money is not unbooked: a receipt in error is answered by finance's own books, not by
-- rewriting this trail.
CREATE FUNCTION carrier_recovery_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a carrier recovery receipt is never changed or removed'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER carrier_recovery_receipts_append_only BEFORE UPDATE OR DELETE ON carrier_recovery_receipts
  FOR EACH ROW EXECUTE FUNCTION carrier_recovery_receipts_append_only();
CREATE TRIGGER carrier_recovery_receipts_no_truncate BEFORE TRUNCATE ON carrier_recovery_receipts
  FOR EACH STATEMENT EXECUTE FUNCTION carrier_recovery_receipts_append_only();
