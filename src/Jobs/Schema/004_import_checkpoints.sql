-- The resume point of an import that commits in batches: the last line of the last committed batch and the counts up
-- to it (JSON, written by the job in the same transaction as the batch's bars).
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS checkpoint jsonb;
