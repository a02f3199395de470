-- A 'received' movement names the goods receipt it books (stock_receipts), so the ledger
-- can be checked against the receipts without reading its reason text.
ALTER TABLE stock_movements ADD COLUMN receipt_id text;
