-- After-sales visits (ADR 025): an accepted repair or maintenance case becomes a service task
-- of its own, run like a service order's but belonging to the case, not to the order: the
-- order's delivery, cancellation, acceptance or booking never close, settle or time it.
ALTER TABLE tasks
  ADD COLUMN origin             text NOT NULL DEFAULT 'order' CHECK (origin IN ('order', 'after-sales')),
  ADD COLUMN case_id            text,
  ADD COLUMN case_kind          text,
  -- [{"sku": …, "quantity": …}]: the goods the case names, for the technician to bring what they need.
  ADD COLUMN goods              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(goods) = 'array'),
  -- Whom the requester named (the case's handler): offered the task first when eligible.
  ADD COLUMN preferred_staff_id text,
  ADD CHECK ((origin = 'after-sales') = (case_id IS NOT NULL));
