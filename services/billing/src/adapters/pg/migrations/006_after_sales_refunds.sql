-- A resolved after-sales case (a return, a complaint's goodwill) names money to go back: billing
-- refunds it under the case's id (ADR 017).
ALTER TABLE refunds DROP CONSTRAINT refunds_trigger_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_trigger_check CHECK (trigger IN ('cancellation', 'finance', 'substitution', 'after-sales'));
