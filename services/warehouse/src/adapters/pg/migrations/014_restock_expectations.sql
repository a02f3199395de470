-- What staff said of a SKU's next delivery at a store (ADR 030's second addendum): each
-- recorded or cleared expected restock date, with who, when and why, append-only. The date
-- itself lives on the SKU's stock rows (expected_restock_date), where the shortages read it;
-- stock_movements keep quantities only, so the statements about a date are kept here. A
-- receipt that clears the date is on the ledger already (its 'received' movement).
CREATE TABLE restock_expectations (
  id                    bigserial PRIMARY KEY,
  store_id              text NOT NULL,
  sku                   text NOT NULL,
  -- NULL: cleared.
  expected_restock_date date,
  previous_date         date,
  reason                text NOT NULL DEFAULT '',
  actor_kind            text NOT NULL,
  actor_id              text NOT NULL,
  actor_role            text NOT NULL,
  recorded_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (expected_restock_date IS NOT NULL OR reason <> '')
);
CREATE INDEX restock_expectations_item ON restock_expectations (store_id, sku, id);

CREATE FUNCTION restock_expectations_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'restock_expectations is append-only; record another expectation instead';
END;
$$;
CREATE TRIGGER restock_expectations_append_only
  BEFORE UPDATE OR DELETE ON restock_expectations
  FOR EACH ROW EXECUTE FUNCTION restock_expectations_are_append_only();
