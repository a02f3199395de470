-- After-sales cases and the policies they are judged against (ADR 017).

-- What a case needs of its order, from OrderCreated: whose it is (a customer opens cases on
-- their own orders), the goods ordered (a case names some of them) and the total (the
-- bound of what its cases give back). Orders heard of before this migration keep the
-- defaults: no customer, no lines, nothing to refund.
ALTER TABLE order_facts
  ADD COLUMN customer_id       text NOT NULL DEFAULT '',
  ADD COLUMN lines             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(lines) = 'array'),
  ADD COLUMN grand_total_minor bigint NOT NULL DEFAULT 0 CHECK (grand_total_minor >= 0),
  ADD COLUMN currency          text NOT NULL DEFAULT '';

-- A store's published policy; a store without a row has the chain's defaults (settings).
CREATE TABLE policies (
  store_id                 text PRIMARY KEY,
  warranty_days            integer NOT NULL CHECK (warranty_days BETWEEN 0 AND 3650),
  return_days              integer NOT NULL CHECK (return_days BETWEEN 0 AND 3650),
  complaint_response_hours integer NOT NULL CHECK (complaint_response_hours BETWEEN 1 AND 720),
  kinds                    text[] NOT NULL CHECK (
    cardinality(kinds) > 0 AND kinds <@ ARRAY['repair', 'maintenance', 'return', 'exchange', 'complaint']::text[]
  ),
  process                  text NOT NULL CHECK (char_length(process) <= 2000),
  liability                text NOT NULL CHECK (char_length(liability) <= 2000),
  updated_at               timestamptz NOT NULL,
  -- "<kind>:<id>" of the store manager who published it.
  updated_by               text NOT NULL
);

-- Every request, within the policy or not: the case log the report reads.
CREATE TABLE cases (
  -- The caller's own id (ADR 015): a retry finds the case it opened.
  case_id           text PRIMARY KEY,
  order_id          text NOT NULL,
  store_id          text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('repair', 'maintenance', 'return', 'exchange', 'complaint')),
  channel           text NOT NULL CHECK (channel IN ('phone', 'email', 'online', 'store-counter')),
  description       text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 2000),
  -- [{"sku": …, "quantity": …}]: the goods concerned.
  lines             jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
  status            text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'resolved')),
  opened_by         text NOT NULL,
  opened_at         timestamptz NOT NULL,
  -- The opening request's chain, continued by the case's later events (its timer's too).
  correlation_id    text NOT NULL,
  within_policy     boolean NOT NULL,
  policy_note       text NOT NULL DEFAULT '',
  assignee_staff_id text,
  decided_by        text,
  decided_at        timestamptz,
  decision_note     text,
  respond_by        timestamptz,
  answered_at       timestamptz,
  answer            text,
  escalated_at      timestamptz,
  resolution        text,
  cause             text CHECK (cause IN ('packaging', 'carrier', 'product', 'service', 'customer', 'other')),
  refund_minor      bigint NOT NULL DEFAULT 0 CHECK (refund_minor >= 0),
  resolved_by       text,
  resolved_at       timestamptz,
  -- A request outside the policy is declined as it is opened, with the reason.
  CHECK (within_policy OR (status = 'declined' AND policy_note <> '')),
  CHECK ((status = 'open') = (decided_at IS NULL)),
  CHECK ((status = 'open') = (decided_by IS NULL)),
  CHECK ((status IN ('accepted', 'resolved')) = (assignee_staff_id IS NOT NULL)),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
  CHECK (status <> 'resolved' OR (resolution IS NOT NULL AND cause IS NOT NULL AND resolved_by IS NOT NULL)),
  CHECK (status = 'resolved' OR refund_minor = 0),
  -- Only complaints are answered, once, and a complaint is answered before it is resolved.
  CHECK (kind = 'complaint' OR (respond_by IS NULL AND answered_at IS NULL AND escalated_at IS NULL)),
  CHECK ((answered_at IS NULL) = (answer IS NULL)),
  CHECK (kind <> 'complaint' OR status <> 'resolved' OR answered_at IS NOT NULL),
  CHECK (escalated_at IS NULL OR respond_by IS NOT NULL)
);
-- ListCases and the report: a store's cases by opening time, newest first.
CREATE INDEX cases_store_opened ON cases (store_id, opened_at DESC, case_id);
-- ListCases by order, and the refund bound (what the order's other cases gave back).
CREATE INDEX cases_order ON cases (order_id, opened_at DESC);
