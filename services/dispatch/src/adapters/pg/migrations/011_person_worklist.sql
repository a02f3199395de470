-- A person's worklist beyond their open tasks (ListTasks by staff with done or cancelled):
-- the assignee index of migration 003 covers only the tasks they hold now.
CREATE INDEX tasks_by_assignee_status ON tasks (assignee_staff_id, status, created_at) WHERE assignee_staff_id IS NOT NULL;
