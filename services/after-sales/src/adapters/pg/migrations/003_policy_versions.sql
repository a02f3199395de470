-- Every policy a store manager published, whole, with who and when (DOMAIN.md: every change
-- audited): `policies` holds the one in force, this table how it came to be. SetPolicy appends
-- here in the transaction that replaces the row in `policies`.
CREATE TABLE policy_versions (
  version_id               bigserial PRIMARY KEY,
  store_id                 text NOT NULL,
  warranty_days            integer NOT NULL CHECK (warranty_days BETWEEN 0 AND 3650),
  return_days              integer NOT NULL CHECK (return_days BETWEEN 0 AND 3650),
  complaint_response_hours integer NOT NULL CHECK (complaint_response_hours BETWEEN 1 AND 720),
  kinds                    text[] NOT NULL CHECK (
    cardinality(kinds) > 0 AND kinds <@ ARRAY['repair', 'maintenance', 'return', 'exchange', 'complaint']::text[]
  ),
  process                  text NOT NULL CHECK (char_length(process) <= 2000),
  liability                text NOT NULL CHECK (char_length(liability) <= 2000),
  published_at             timestamptz NOT NULL,
  -- "<kind>:<id>" of the store manager who published it.
  published_by             text NOT NULL
);
-- A store's versions, oldest first.
CREATE INDEX policy_versions_store ON policy_versions (store_id, published_at, version_id);

-- The policies published before this migration: each store's trail starts with the one in force.
INSERT INTO policy_versions (store_id, warranty_days, return_days, complaint_response_hours, kinds, process, liability, published_at, published_by)
SELECT store_id, warranty_days, return_days, complaint_response_hours, kinds, process, liability, updated_at, updated_by
FROM policies ORDER BY updated_at, store_id;

-- Versions are append-only, as the archive's entries: a trigger rather than a rule, so the
-- caller learns that a change was refused instead of it being ignored silently.
CREATE FUNCTION refuse_policy_version_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'policy versions are append-only: % on policy_versions refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'publish a new policy instead; each one is appended';
END
$$;

CREATE TRIGGER policy_versions_append_only
  BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_policy_version_change();

CREATE TRIGGER policy_versions_no_truncate
  BEFORE TRUNCATE ON policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_policy_version_change();
