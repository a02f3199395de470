-- How satisfied customers are with the orders that reached them (DOMAIN.md: customer
-- service's satisfaction surveys; the KPI "customer satisfaction"): once per order, said
-- online by the customer or to customer service on a follow-up call.
CREATE TABLE satisfaction (
  order_id    text PRIMARY KEY,
  store_id    text NOT NULL,
  score       integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment     text NOT NULL CHECK (char_length(comment) <= 2000),
  channel     text NOT NULL CHECK (channel IN ('online', 'follow-up-call')),
  -- "<kind>:<id>" of who recorded it: the customer, or the agent who called them.
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL
);
-- The report: a store's responses of a period.
CREATE INDEX satisfaction_store_recorded ON satisfaction (store_id, recorded_at);
