-- The order's tax (from its totals), so an invoice can state the tax within what it invoices.
-- Settlements prepared before this column existed state none.
ALTER TABLE settlements ADD COLUMN tax_minor bigint NOT NULL DEFAULT 0 CHECK (tax_minor >= 0);

-- Each store's last invoice number. Numbers are drawn at the end of the transaction that
-- decides the invoices (InvoiceDesk.issue), stores in id order: a rollback takes its numbers
-- back with it, so the series has no gap, and the row's lock is held only until that commit.
CREATE TABLE invoice_series (
  store_id     text PRIMARY KEY,
  last_number  bigint NOT NULL CHECK (last_number > 0)
);

-- Invoices and credit notes. A row is written as soon as the invoice is decided and numbered
-- in the same transaction; the constraint trigger below refuses a commit that leaves one
-- without its number.
CREATE TABLE invoices (
  invoice_id          text PRIMARY KEY,
  kind                text NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
  order_id            text NOT NULL,
  store_id            text NOT NULL,
  currency            text NOT NULL,
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  tax_minor           bigint NOT NULL CHECK (tax_minor >= 0 AND tax_minor <= amount_minor),
  -- A credit note: the invoice it corrects and the refund it records (once per refund).
  corrects_invoice_id text REFERENCES invoices (invoice_id),
  refund_id           text UNIQUE REFERENCES refunds (refund_id),
  number              bigint,
  invoice_number      text UNIQUE,
  issued_by           text NOT NULL,
  issued_at           timestamptz NOT NULL DEFAULT now(),
  position            bigint GENERATED ALWAYS AS IDENTITY,
  UNIQUE (store_id, number),
  CHECK ((kind = 'invoice') = (corrects_invoice_id IS NULL AND refund_id IS NULL)),
  CHECK ((kind = 'credit-note') = (corrects_invoice_id IS NOT NULL AND refund_id IS NOT NULL))
);
-- One invoice per order; its credit notes are as many as its refunds after it.
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_order ON invoices (order_id, position);
CREATE INDEX invoices_store_issued ON invoices (store_id, issued_at);

CREATE FUNCTION invoices_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  numbered bigint;
BEGIN
  -- The row as it stands at commit (NEW is the row as inserted); the schema is the table's own.
  EXECUTE format('SELECT number FROM %I.invoices WHERE invoice_id = $1', TG_TABLE_SCHEMA) INTO numbered USING NEW.invoice_id;
  IF numbered IS NULL THEN
    RAISE EXCEPTION 'invoice % of order % would be committed without a number', NEW.invoice_id, NEW.order_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER invoices_numbered AFTER INSERT ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoices_numbered();
