-- Service records and exceptions are kept under the caller's own id, so that a retry under
-- it writes nothing more. Callers name them per task (e.g. from the task id and the step), so
-- an id is unique within its task, not across tasks. Ids written before (uuids) stay as they are.
ALTER TABLE service_records DROP CONSTRAINT service_records_pkey, ADD PRIMARY KEY (task_id, record_id);
ALTER TABLE service_exceptions DROP CONSTRAINT service_exceptions_pkey, ADD PRIMARY KEY (task_id, exception_id);
