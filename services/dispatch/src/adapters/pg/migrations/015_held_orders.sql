-- ADR 025's and ADR 027's twenty-sixth-session addenda: the orders dispatch knows are held for
-- force majeure now, and since when. A task paused with its order shows it (tasks.held_since),
-- but an after-sales visit reopened for rework during the hold was done when the hold began:
-- nothing paused it, and it ran while the roads were closed. Dispatch keeps the hold itself, so
-- a task that opens during one waits for it too. A row is written by the pause, removed by the
-- resumption.
CREATE TABLE held_orders (
  order_id   text PRIMARY KEY,
  held_since timestamptz NOT NULL
);

-- Holds in force when this runs: the orders with an open paused task. A closed task keeps its
-- pause mark (a cancellation during the hold never resumed the order before this; the resumption
-- clears open tasks only), so counting closed ones would hold those orders for good.
INSERT INTO held_orders (order_id, held_since)
SELECT order_id, min(held_since) FROM tasks
WHERE held_since IS NOT NULL AND status IN ('pending', 'assigned', 'acknowledged', 'in-progress', 'reported')
GROUP BY order_id
ON CONFLICT DO NOTHING;
