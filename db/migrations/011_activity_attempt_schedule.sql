-- When an activity was first scheduled (Temporal's clock), so the status document can tie attempts to the step
-- that was running at that moment.
ALTER TABLE activity_attempts ADD COLUMN scheduled_at timestamptz;
CREATE INDEX activity_attempts_submission ON activity_attempts (submission_id, scheduled_at);
