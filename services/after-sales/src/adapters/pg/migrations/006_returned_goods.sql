-- What the warehouse received back of a return's or an exchange's goods (ADR 021): the
-- running totals of its receipts and when the last one came in.
ALTER TABLE cases
  ADD COLUMN goods_restocked   integer NOT NULL DEFAULT 0 CHECK (goods_restocked >= 0),
  ADD COLUMN goods_written_off integer NOT NULL DEFAULT 0 CHECK (goods_written_off >= 0),
  ADD COLUMN goods_received_at timestamptz,
  ADD CHECK (kind IN ('return', 'exchange') OR (goods_restocked = 0 AND goods_written_off = 0 AND goods_received_at IS NULL));
