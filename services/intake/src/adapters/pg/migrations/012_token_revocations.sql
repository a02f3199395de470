-- Withdrawn tokens (ADR 022, "Withdrawing tokens"): every token of `subject`
-- (`staff:<id>`, `customer:<id>`, `platform:<name>`) issued at or before `not_before` is
-- refused. The log is the audit record (it concerns no order, so no event says it): who
-- withdrew whose tokens, why, under which request. What holds is the latest not_before per
-- subject; every intake keeps that in memory and reads the rows after the last id it saw.
--
-- revocation_id is that reading's position. A sequence alone would not do: a transaction
-- that took id 5 may commit after one that took id 6, and a reader that saw 6 would never
-- read 5. Writers take the advisory lock 'intake.token-revocations' before they insert
-- (token-revocation-repository.ts), so ids are taken and committed in one order, and an id
-- a reader sees means every smaller one is visible or was never committed.
CREATE TABLE token_revocations (
  revocation_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject         text NOT NULL CHECK (subject ~ '^(staff|customer|platform):.'),
  not_before      timestamptz NOT NULL,
  revoked_by_kind text NOT NULL,
  revoked_by_id   text NOT NULL,
  revoked_by_role text NOT NULL,
  reason          text NOT NULL CHECK (length(reason) > 0),
  correlation_id  text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX token_revocations_by_subject ON token_revocations (subject, revocation_id);

-- Append-only, as the contact disclosures: a trigger, so no statement of the service's own
-- can take a revocation back or rewrite who made it. A revocation is never undone: the
-- person signs in again.
CREATE FUNCTION refuse_token_revocation_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'token_revocations is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER token_revocations_append_only
  BEFORE UPDATE OR DELETE ON token_revocations
  FOR EACH ROW EXECUTE FUNCTION refuse_token_revocation_change();
CREATE TRIGGER token_revocations_no_truncate
  BEFORE TRUNCATE ON token_revocations
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_token_revocation_change();
