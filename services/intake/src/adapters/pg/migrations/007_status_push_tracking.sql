-- A shipment's push names the carrier and tracking number: a marketplace marks the order
-- shipped only with them. Other pushes, and those queued before, carry none.
ALTER TABLE status_callbacks
  ADD COLUMN carrier         text NOT NULL DEFAULT '',
  ADD COLUMN tracking_number text NOT NULL DEFAULT '';
