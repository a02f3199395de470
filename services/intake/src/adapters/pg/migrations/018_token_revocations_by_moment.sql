-- Revocations read by their moment (ADR 022, addendum on forgetting revocations): a
-- revocation dated before the oldest token the gateway still accepts cuts nothing off, so an
-- intake starting up reads only those from its horizon on, and the rows before it stay in
-- the table as the audit record (append-only, migration 012). Without this index that first
-- reading would walk the whole log, which only grows.
CREATE INDEX token_revocations_by_not_before ON token_revocations (not_before);
