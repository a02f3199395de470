-- A return's or an exchange's goods called off by the after-sales desk (ADR 021, addendum):
-- the warehouse stopped expecting them (the customer kept them, the parcel was lost). When
-- and why, as the warehouse's ReturnCalledOff said; goods that arrive after all are still
-- counted in goods_restocked and goods_written_off.
ALTER TABLE cases
  ADD COLUMN goods_called_off_at     timestamptz,
  ADD COLUMN goods_called_off_reason text,
  ADD CHECK ((goods_called_off_at IS NULL) = (goods_called_off_reason IS NULL)),
  ADD CHECK (kind IN ('return', 'exchange') OR goods_called_off_at IS NULL);
