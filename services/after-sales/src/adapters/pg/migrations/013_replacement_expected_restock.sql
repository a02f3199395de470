-- When an exchange's replacement awaiting stock can be expected (ADR 030, addendum): the latest
-- of the restock dates ReplacementAwaitingStock names for its short lines, NULL when any of them
-- is unknown (domain/case-replacement.ts says why). A date column of its own rather than a key in
-- the replacement's jsonb, so only a real date is kept and the check below can hold it to the
-- one status it belongs to: reserving, shipping or calling the replacement off clears it.
-- Replacements awaiting stock from before show no date: the warehouse's announcement is not
-- heard again.
ALTER TABLE cases
  ADD COLUMN replacement_expected_restock date,
  ADD CONSTRAINT cases_replacement_expected_restock_while_awaiting
    CHECK (replacement_expected_restock IS NULL OR replacement->>'status' = 'awaiting-stock');
