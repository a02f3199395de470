-- Each goods receipt once: the clerk names it (the delivery note's number and line), and a
-- receipt sent again with the same id books nothing more.
CREATE TABLE stock_receipts (
  store_id     text NOT NULL,
  receipt_id   text NOT NULL,
  sku          text NOT NULL,
  location     text NOT NULL,
  quantity     int  NOT NULL CHECK (quantity > 0),
  received_by  text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, receipt_id)
);
