-- The step a late replacement missed (ADR 030's seventh addendum, second reading): its clerk's pick
-- or pack ends only a lateness of that step, so a replacement from before the steps, whose one
-- ship-by deadline runs on through its pick and pack, stays late on the case and the desk's worklist.
-- NULL on rows flagged before this lands: those flags were all ship-by deadlines (read as "ship").
ALTER TABLE cases
  ADD COLUMN replacement_late_step text CHECK (replacement_late_step IN ('pick', 'pack', 'ship')),
  ADD CONSTRAINT cases_replacement_late_step_while_late CHECK (replacement_late_step IS NULL OR replacement_late_since IS NOT NULL);
