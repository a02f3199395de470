-- The order dossier (DOMAIN.md, Archive): every event of every order, "safe from loss or change".

-- One row per order: what the dossier holds at a glance. Maintained with each filing.
CREATE TABLE dossiers (
  order_id       text PRIMARY KEY,
  store_id       text NOT NULL,
  first_event_at timestamptz NOT NULL,
  last_event_at  timestamptz NOT NULL,
  entry_count    integer NOT NULL CHECK (entry_count > 0),
  opened_at      timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
-- For the store-scoped search and the retention sweep that come later.
CREATE INDEX dossiers_store ON dossiers (store_id, last_event_at);

-- Every filed event. The envelope is kept whole, sealed with AES-256-GCM
-- (src/adapters/crypto/envelope-cipher.ts), because it carries personal data.
CREATE TABLE dossier_entries (
  -- The order of filing: ties of occurred_at are listed in it.
  filing_seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        text NOT NULL UNIQUE,
  order_id        text NOT NULL,
  store_id        text NOT NULL,
  event_type      text NOT NULL,
  producer        text NOT NULL,
  topic           text NOT NULL,
  occurred_at     timestamptz NOT NULL,
  correlation_id  text NOT NULL,
  causation_id    text NOT NULL,
  actor_kind      text NOT NULL,
  actor_id        text NOT NULL,
  actor_role      text NOT NULL,
  envelope_sealed bytea NOT NULL,
  -- Which key sealed it (a fingerprint), so keys can be rotated without re-sealing.
  envelope_key_id text NOT NULL,
  filed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_entries_order ON dossier_entries (order_id, occurred_at, filing_seq);

-- Entries are append-only. A trigger rather than a rule: a rule would ignore the change
-- silently, the caller must learn that it was refused.
-- Retention (a later issue) will need a sanctioned path to delete expired dossiers: a
-- SECURITY DEFINER function owned by a separate role, or a check in this trigger for a
-- setting only that function sets. Until then nothing deletes.
CREATE FUNCTION refuse_dossier_entry_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier entries are append-only: % on dossier_entries refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the archive keeps every event unchanged; retention deletes only through its own path';
END
$$;

CREATE TRIGGER dossier_entries_append_only
  BEFORE UPDATE OR DELETE ON dossier_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_dossier_entry_change();

CREATE TRIGGER dossier_entries_no_truncate
  BEFORE TRUNCATE ON dossier_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_dossier_entry_change();
