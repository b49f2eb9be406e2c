-- Bars older than a retention policy's cutoff that a run chose to leave out (migrate --skip-older-than-retention):
-- the cutoff the item was planned with, and how many of its bars it left out, from when to when.
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS retention_cutoff timestamptz;
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS older_than_retention bigint;
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS older_first_time timestamptz;
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS older_last_time timestamptz;
