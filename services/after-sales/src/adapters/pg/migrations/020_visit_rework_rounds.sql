-- A repair the customer says did not fix it goes back for rework (ADR 025, rework addendum): the
-- visit's document (migration 007) keeps the rounds whose report the customer rejected, each with
-- who rejected it, when, and why. The why is the customer's own words, sealed as a case's
-- description is (AES-256-GCM under AFTERSALES_PERSONAL_DATA_KEYS, bound to the case and the round,
-- held as base64 in `reasonSealed`): a rejection is never kept in the clear.
ALTER TABLE cases ADD CONSTRAINT cases_visit_rejections_sealed
  CHECK (visit IS NULL OR NOT jsonb_path_exists(visit, '$.pastRounds[*].rejection ? (!(exists(@.reasonSealed)) || exists(@.reason))'));

-- A case view now also shows the rejections' reasons it opens: the showings' log names that field too.
ALTER TABLE case_disclosures DROP CONSTRAINT case_disclosures_fields_check;
ALTER TABLE case_disclosures ADD CONSTRAINT case_disclosures_fields_check
  CHECK (cardinality(fields) > 0 AND fields <@ ARRAY['description', 'goods-called-off-reason', 'visit-rejection-reason']::text[]);
