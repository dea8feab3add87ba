-- Starting the workflows of stored submissions: a starter (the batch route, the sweeper of any API process) claims
-- rows for a while before it starts them, so two starters never start the same rows, and rows of a starter that
-- died become free again when the claim runs out.
ALTER TABLE submissions ADD COLUMN workflow_start_claimed_until timestamptz;
