-- Access to what dossiers hold (DOMAIN.md, Archive): "Viewing an archived order needs an
-- approved access request; every viewing is logged."

-- Who asked to view an order's dossier, why, and who decided.
CREATE TABLE access_requests (
  request_id     text PRIMARY KEY,
  order_id       text NOT NULL,
  -- "<kind>:<id>" of who asked, and their role when they asked.
  requested_by   text NOT NULL,
  requester_role text NOT NULL,
  reason         text NOT NULL,
  requested_at   timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
  decided_by     text,
  decided_at     timestamptz,
  note           text,
  -- Set on approval: the asker may view the dossier until then.
  valid_until    timestamptz,
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'pending') = (decided_by IS NULL)),
  CHECK ((status = 'approved') = (valid_until IS NOT NULL)),
  CHECK (status <> 'refused' OR note IS NOT NULL),
  CHECK (decided_by IS DISTINCT FROM requested_by)
);
CREATE INDEX access_requests_order ON access_requests (order_id, requested_at);

-- Every viewing of a dossier's content, written in the transaction that read it.
CREATE TABLE dossier_viewings (
  viewing_id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES access_requests (request_id),
  order_id   text NOT NULL,
  viewer     text NOT NULL,
  viewed_at  timestamptz NOT NULL DEFAULT now(),
  records    integer NOT NULL CHECK (records >= 0)
);
CREATE INDEX dossier_viewings_order ON dossier_viewings (order_id, viewed_at);

-- The log is append-only, like the entries, and refuses changes out loud.
CREATE FUNCTION refuse_viewing_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the dossier access log is append-only: % on dossier_viewings refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER dossier_viewings_append_only
  BEFORE UPDATE OR DELETE ON dossier_viewings
  FOR EACH ROW EXECUTE FUNCTION refuse_viewing_change();

CREATE TRIGGER dossier_viewings_no_truncate
  BEFORE TRUNCATE ON dossier_viewings
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_viewing_change();
