-- An exchange's replacement goods, as the warehouse announced them (ADR 030): {"status",
-- "carrier", "trackingNumber", "at"}, status "reserved" | "awaiting-stock" | "shipped" |
-- "called-off". Only an exchange has one.
ALTER TABLE cases
  ADD COLUMN replacement jsonb,
  ADD CHECK (kind = 'exchange' OR replacement IS NULL);
