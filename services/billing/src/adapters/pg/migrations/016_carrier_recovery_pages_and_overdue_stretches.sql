-- Finance's list of carrier recoveries is read a page at a time (ADR 017, twenty-fifth session):
-- a store's recoveries by due-by time and case id, the keyset the pages continue on. Case ids in
-- byte order (COLLATE "C"), so the order is the same whatever the database's locale.
CREATE INDEX carrier_recoveries_by_store_due ON carrier_recoveries (store_id, due_by, case_id COLLATE "C");

-- A recovery is announced overdue once per owed stretch (ADR 017, twenty-fifth session): the first
-- from when it is recorded, another each time a reversal leaves it, paid in full, owing again. The
-- announcement of 015 was once per recovery, so one reversed after its timer found it paid was
-- listed overdue but never announced.
ALTER TABLE carrier_recoveries ADD COLUMN owed_stretch int NOT NULL DEFAULT 1 CHECK (owed_stretch >= 1);
-- The stretch last announced overdue; 0: none. overdue_announced_at is when it was.
ALTER TABLE carrier_recoveries ADD COLUMN overdue_announced_stretch int NOT NULL DEFAULT 0;
UPDATE carrier_recoveries SET overdue_announced_stretch = 1 WHERE overdue_announced_at IS NOT NULL;
ALTER TABLE carrier_recoveries ADD CONSTRAINT carrier_recoveries_announced_stretch_owed
  CHECK (overdue_announced_stretch BETWEEN 0 AND owed_stretch);
-- Recoveries that fell through before: their timer fired and announced nothing (paid in full then),
-- and they owe now (a reversal since). They are in their second stretch, chased at once. The timers'
-- table is there when the service migrates (see 015); a schema without it has no such recoveries.
DO $$
BEGIN
  IF to_regclass('timers') IS NOT NULL THEN
    WITH owing_again AS (
      UPDATE carrier_recoveries c SET owed_stretch = 2
      FROM timers t
      WHERE t.kind = 'billing.carrier-recovery-overdue' AND t.timer_key = c.case_id AND t.fired_at IS NOT NULL
        AND c.received_minor < c.due_minor AND c.overdue_announced_at IS NULL
      RETURNING c.case_id, c.order_id
    )
    INSERT INTO timers (kind, timer_key, order_id, due_at, payload)
      SELECT 'billing.carrier-recovery-overdue', case_id || '#2', order_id, now(), jsonb_build_object('caseId', case_id, 'owedStretch', 2)
      FROM owing_again
      ON CONFLICT (kind, timer_key) DO NOTHING;
  END IF;
END
$$;
