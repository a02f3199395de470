-- A store's worklist (ListTasks by store): its tasks by status, oldest first. Without it the
-- desk's queue reads every task of every store; the status leads the order so that the open
-- tasks of a store with a long history of done ones are found without reading those.
CREATE INDEX tasks_by_store_status ON tasks (store_id, status, created_at, task_id COLLATE "C");
