-- A missed acknowledgement is a time node run late too: it is listed with the overdue
-- steps (beside the reassignment) until someone acknowledges the task.
ALTER TABLE step_deadlines DROP CONSTRAINT step_deadlines_step_check;
ALTER TABLE step_deadlines ADD CONSTRAINT step_deadlines_step_check CHECK (step IN ('arrival', 'report', 'acknowledgement'));
