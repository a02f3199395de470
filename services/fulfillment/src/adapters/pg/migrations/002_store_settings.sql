-- Each store's time rules; the row '*' holds the defaults for stores without their own.
CREATE TABLE store_settings (
  store_id                        text PRIMARY KEY,
  confirmation_follow_up_hours    numeric NOT NULL CHECK (confirmation_follow_up_hours > 0),
  confirmation_escalation_hours   numeric NOT NULL CHECK (confirmation_escalation_hours > 0),
  confirmation_cancel_hours       numeric NOT NULL CHECK (confirmation_cancel_hours > 0),
  updated_at                      timestamptz NOT NULL DEFAULT now()
);
