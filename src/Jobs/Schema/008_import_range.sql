-- Gap filling: a run may import only the bars of a date range [range_start, range_end) (UTC; NULL is open). The range
-- lives on the run, so that every attempt and redelivery of its import jobs and its verification read the same one.
ALTER TABLE migration_runs ADD COLUMN IF NOT EXISTS range_start timestamptz;
ALTER TABLE migration_runs ADD COLUMN IF NOT EXISTS range_end timestamptz;
-- Data lines of the file whose bar lies outside the run's range: read, not imported, counted.
ALTER TABLE migration_items ADD COLUMN IF NOT EXISTS outside_range bigint;
