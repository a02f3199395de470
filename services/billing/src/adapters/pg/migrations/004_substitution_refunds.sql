-- A cheaper substitute's price difference is refunded too (domain/refund.ts).
ALTER TABLE refunds DROP CONSTRAINT refunds_trigger_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_trigger_check CHECK (trigger IN ('cancellation', 'finance', 'substitution'));
