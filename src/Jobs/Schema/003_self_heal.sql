-- The run a mismatching series was re-imported by, so the nightly job can bound its retries.
ALTER TABLE verification_results ADD COLUMN IF NOT EXISTS heal_run_id bigint;
CREATE INDEX IF NOT EXISTS verification_results_series ON verification_results (symbol, timeframe, checked_at);
