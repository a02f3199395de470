-- customer_flag_disclosures (migration 014) is read back since the twenty-fourth session
-- (GET /v1/customers/flags/disclosures, ADR 024's twenty-fourth-session addendum): oldest first,
-- a page at a time on (shown_at, disclosure_id), by period and by the flag a showing named.
-- One row names every flag a listing showed, so a flag is found inside the array (GIN).
CREATE INDEX customer_flag_disclosures_by_time ON customer_flag_disclosures (shown_at, disclosure_id);
CREATE INDEX customer_flag_disclosures_by_key ON customer_flag_disclosures USING gin (customer_keys);
