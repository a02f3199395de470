-- A technician paid in cash or by card on the visit says so in the report, as a rider does
-- at the door: the money is then a payment of the order. Reports written before took none.
ALTER TABLE service_reports ADD COLUMN collected_minor bigint NOT NULL DEFAULT 0 CHECK (collected_minor >= 0);
