-- A carrier receipt booked in error is reversed, and a recovery not paid in time is chased (ADR 017,
-- third carrier addendum). Receipts stay append-only: a reversal is a row of its own naming the
-- receipt, at most one per receipt, and the receipt's reference stays spent (its row is still there).
CREATE TABLE carrier_recovery_reversals (
  reference    text PRIMARY KEY REFERENCES carrier_recovery_receipts (reference),
  case_id      text NOT NULL REFERENCES carrier_recoveries (case_id),
  -- The receipt's amount and currency, copied so the reconciliation sums reversals without a join.
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency     text NOT NULL,
  reason       text NOT NULL CHECK (length(btrim(reason)) > 0 AND length(reason) <= 500),
  reversed_by  text NOT NULL,
  reversed_at  timestamptz NOT NULL DEFAULT now()
);
-- The reconciliation's period reads reversals by when they were made.
CREATE INDEX carrier_recovery_reversals_by_time ON carrier_recovery_reversals (reversed_at);

CREATE FUNCTION carrier_recovery_reversals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a carrier receipt reversal is never changed or removed'
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER carrier_recovery_reversals_append_only BEFORE UPDATE OR DELETE ON carrier_recovery_reversals
  FOR EACH ROW EXECUTE FUNCTION carrier_recovery_reversals_append_only();
CREATE TRIGGER carrier_recovery_reversals_no_truncate BEFORE TRUNCATE ON carrier_recovery_reversals
  FOR EACH STATEMENT EXECUTE FUNCTION carrier_recovery_reversals_append_only();

-- When the carrier should have paid in full: fixed when the recovery is recorded (settled_at plus
-- BILLING_CARRIER_RECOVERY_DUE_DAYS then), so changing the setting later moves no deadline already
-- told. Recoveries recorded before this migration get the default 30 days.
ALTER TABLE carrier_recoveries ADD COLUMN due_by timestamptz;
UPDATE carrier_recoveries SET due_by = settled_at + interval '30 days';
ALTER TABLE carrier_recoveries ALTER COLUMN due_by SET NOT NULL;
-- When CarrierRecoveryOverdue was announced (once per recovery, by its timer); NULL: not (yet).
ALTER TABLE carrier_recoveries ADD COLUMN overdue_announced_at timestamptz;
-- Finance's overdue list: a store's recoveries not yet paid in full, by deadline.
CREATE INDEX carrier_recoveries_unpaid_by_due ON carrier_recoveries (store_id, due_by) WHERE received_minor < due_minor;
-- Recoveries already owed get their overdue timer as new ones do. The service migrates the timers'
-- table first; a schema migrated without it (a spec of billing's own migrations alone) has no
-- timers to keep, and no recoveries that could be owed one.
DO $$
BEGIN
  IF to_regclass('timers') IS NOT NULL THEN
    INSERT INTO timers (kind, timer_key, order_id, due_at, payload)
      SELECT 'billing.carrier-recovery-overdue', case_id, order_id, due_by, jsonb_build_object('caseId', case_id)
      FROM carrier_recoveries WHERE received_minor < due_minor
      ON CONFLICT (kind, timer_key) DO NOTHING;
  END IF;
END
$$;
