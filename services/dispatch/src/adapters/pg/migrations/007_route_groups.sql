-- Deliveries are grouped by route (DOMAIN.md, Classification: "region, to group deliveries
-- by route"): the route group fulfillment classifies an order under ("route:<region>"), so a
-- rider who already holds deliveries of a route gets the next one of it while they have room.
ALTER TABLE tasks ADD COLUMN route_group text NOT NULL DEFAULT '';
CREATE INDEX tasks_open_deliveries_by_assignee ON tasks (assignee_staff_id, route_group) WHERE kind = 'delivery' AND status IN ('assigned', 'acknowledged');
