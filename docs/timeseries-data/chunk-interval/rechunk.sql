-- Re-chunks price_data to a new chunk interval inside the database (CHUNK_INTERVAL.md, "Changing the interval").
-- Stop every worker first (no 'serve', 'migrate' or nightly verify running). Needs room for a second copy of the
-- bars, uncompressed until the policy compresses them again. Run as the table's owner:
--   psql -v ON_ERROR_STOP=1 -v interval="'90 days'" -f rechunk.sql
-- then './ktrdr db migrate' (compression settings and policy), './ktrdr verify', the grants of
-- docs/least-privilege.sql again if a worker role is used, and finally DROP TABLE price_data_old.
BEGIN;
ALTER TABLE price_data RENAME TO price_data_old;
ALTER TABLE price_data_old RENAME CONSTRAINT price_data_pkey TO price_data_old_pkey;
CREATE TABLE price_data (LIKE price_data_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE price_data ADD PRIMARY KEY (symbol, timeframe, time);
SELECT create_hypertable('price_data', 'time', chunk_time_interval => :interval::interval);
-- Reading price_data_old decompresses its compressed chunks on the fly; the new chunks start uncompressed.
INSERT INTO price_data SELECT * FROM price_data_old ORDER BY time;
SELECT (SELECT count(*) FROM price_data) AS copied, (SELECT count(*) FROM price_data_old) AS original;
COMMIT;
