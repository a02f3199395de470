-- Retention (ADR 029): a dossier is kept ARCHIVE_RETENTION_YEARS from its order's end (or a
-- later entry), may be put on legal hold, and is disposed of only on an auditor's decision,
-- leaving a disposal record for good.

-- When the order ended: the latest closing, cancellation or rejection filed. NULL while it
-- has not ended. Retention runs from greatest(ended_at, last_event_at): a later entry (an
-- after-sales case, a dispute) moves the start. The years are the service's setting, so
-- retain_until is computed, not stored.
ALTER TABLE dossiers ADD COLUMN ended_at timestamptz;
-- On legal hold: kept whatever its retention says. Changed only with a row in dossier_holds,
-- in the same transaction, under the dossier's row lock.
ALTER TABLE dossiers ADD COLUMN held boolean NOT NULL DEFAULT false;

-- Dossiers filed before this migration: cancellations and intake's review rejections are told
-- by their type. A closing or rejection by status change is told only inside the sealed
-- envelope, which SQL cannot open: those dossiers stay without an end (kept, never disposed
-- of early) until a re-reading opens them (ADR 029, Consequences).
UPDATE dossiers d SET ended_at = e.ended_at
FROM (SELECT order_id, max(occurred_at) AS ended_at FROM dossier_entries
      WHERE event_type IN ('oms.events.v1.OrderCancelled', 'oms.events.v1.OrderReviewRejected')
      GROUP BY order_id) e
WHERE d.order_id = e.order_id;

-- The retention listing: a store's ended dossiers by when their retention started.
CREATE INDEX dossiers_store_ended ON dossiers (store_id, last_event_at) WHERE ended_at IS NOT NULL;

-- Every hold and release: who, when, why. Append-only.
CREATE TABLE dossier_holds (
  hold_seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id       text NOT NULL,
  action         text NOT NULL CHECK (action IN ('hold', 'release')),
  -- "<kind>:<id>" and role of who held or released it.
  actor          text NOT NULL,
  actor_role     text NOT NULL,
  reason         text NOT NULL CHECK (reason <> ''),
  at             timestamptz NOT NULL,
  correlation_id text NOT NULL
);
CREATE INDEX dossier_holds_order ON dossier_holds (order_id, hold_seq);

-- What was disposed of, by whom, when, why: kept for good. The digest lets an auditor prove
-- later which sealed entries were destroyed (ADR 029). The transaction's id lets the entries'
-- trigger tell a disposal's own deletes from any other.
CREATE TABLE dossier_disposals (
  disposal_id    text PRIMARY KEY,
  order_id       text NOT NULL,
  store_id       text NOT NULL,
  first_event_at timestamptz NOT NULL,
  last_event_at  timestamptz NOT NULL,
  ended_at       timestamptz NOT NULL,
  retain_until   timestamptz NOT NULL,
  entry_count    integer NOT NULL CHECK (entry_count > 0),
  digest         text NOT NULL CHECK (digest LIKE 'sha256:%'),
  decided_by     text NOT NULL,
  decider_role   text NOT NULL,
  reason         text NOT NULL CHECK (reason <> ''),
  disposed_at    timestamptz NOT NULL,
  correlation_id text NOT NULL,
  disposal_xact  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  CHECK (retain_until <= disposed_at)
);
CREATE INDEX dossier_disposals_order ON dossier_disposals (order_id, disposal_xact);
CREATE INDEX dossier_disposals_store ON dossier_disposals (store_id, disposed_at DESC);

CREATE FUNCTION refuse_retention_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'retention records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER dossier_holds_append_only BEFORE UPDATE OR DELETE ON dossier_holds
  FOR EACH ROW EXECUTE FUNCTION refuse_retention_record_change();
CREATE TRIGGER dossier_holds_no_truncate BEFORE TRUNCATE ON dossier_holds
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_retention_record_change();
CREATE TRIGGER dossier_disposals_append_only BEFORE UPDATE OR DELETE ON dossier_disposals
  FOR EACH ROW EXECUTE FUNCTION refuse_retention_record_change();
CREATE TRIGGER dossier_disposals_no_truncate BEFORE TRUNCATE ON dossier_disposals
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_retention_record_change();

-- The entries' one sanctioned delete: a disposal. A row may be deleted only when the
-- transaction says it is disposing (SET LOCAL oms.dossier_disposal = 'on', gone at its end)
-- AND has already written the disposal record of that row's order. Anything else — an
-- UPDATE, a TRUNCATE, a DELETE without both — is refused as before.
CREATE OR REPLACE FUNCTION refuse_dossier_entry_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('oms.dossier_disposal', true) = 'on'
     AND EXISTS (SELECT 1 FROM dossier_disposals
                 WHERE order_id = OLD.order_id AND disposal_xact = pg_current_xact_id()) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'dossier entries are append-only: % on dossier_entries refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the archive keeps every event unchanged; a dossier past retention is deleted only by its disposal, which records it first';
END
$$;
