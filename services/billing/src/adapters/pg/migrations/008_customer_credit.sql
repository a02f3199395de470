-- Customers' credit assessments (DOMAIN.md, Credit), kept every one: the current one is the
-- newest of a customer. Good credit carries a limit and payment terms; poor credit none.
CREATE TABLE credit_assessments (
  assessment_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id    text NOT NULL,
  rating         text NOT NULL CHECK (rating IN ('good', 'poor')),
  limit_minor    bigint NOT NULL CHECK (limit_minor >= 0),
  currency       text NOT NULL,
  terms_days     int NOT NULL CHECK (terms_days >= 0),
  reason         text NOT NULL,
  assessed_by    text NOT NULL,
  assessed_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (rating = 'good' OR (limit_minor = 0 AND terms_days = 0))
);
CREATE INDEX credit_assessments_customer ON credit_assessments (customer_id, assessment_id DESC);

-- Orders bought on credit (payment method "on-credit"), whose customer is known: what billing
-- weighs a customer's next order against, and where collection starts when credit worsens.
CREATE TABLE credit_orders (
  order_id               text PRIMARY KEY,
  customer_id            text NOT NULL,
  store_id               text NOT NULL,
  total_minor            bigint NOT NULL CHECK (total_minor >= 0),
  currency               text NOT NULL,
  -- 'awaiting' until billing (by the assessment) or a finance clerk decides.
  decision               text NOT NULL DEFAULT 'awaiting' CHECK (decision IN ('awaiting', 'approved', 'refused')),
  collection_started_at  timestamptz,
  recorded_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_orders_customer ON credit_orders (customer_id);
