# TimescaleDB helpers of bench/run.sh (sourced after lib.sh; needs MODE, BENCH_DB, DB_*, SUPERUSER, WORK, KTRDR).
# shellcheck shell=bash

# The schema of the run: `ktrdr db migrate` on the fresh database. MODE=timescaledb: the extension is created first (as
# the superuser, so that it does not depend on the role's rights), db migrate makes price_data a hypertable, and the
# compression policy is paused: chunks are compressed when the bench says so, never by a background job mid-step.
# MODE=plain: TSDB_ENABLED=false; while the worker does not know that setting yet and makes a hypertable anyway, the
# table is rebuilt as the plain table of 001_price_data.sql and the extension dropped, so nothing of TimescaleDB is left.
setup_schema() {
  if [[ "$MODE" == timescaledb ]]; then
    su_sql -c "CREATE EXTENSION IF NOT EXISTS timescaledb" 2>"$WORK/extension.log" \
      || die "CREATE EXTENSION timescaledb failed in $BENCH_DB ($(head -n 1 "$WORK/extension.log")); './ktrdr pg start' preloads it, or run './ktrdr bench --plain'"
    "$KTRDR" db migrate >"$WORK/db-migrate.log" 2>&1 || { cat "$WORK/db-migrate.log" >&2; die "db migrate failed"; }
    [[ "$(db_sql -c "SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data'")" == 1 ]] \
      || die "db migrate did not make price_data a hypertable (see $WORK/db-migrate.log)"
    su_sql -c "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_compression'" >/dev/null
  else
    TSDB_ENABLED=false "$KTRDR" db migrate >"$WORK/db-migrate.log" 2>&1 || { cat "$WORK/db-migrate.log" >&2; die "db migrate failed"; }
    if [[ "$(su_sql -c "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")" != 0 ]]; then
      say "plain: this build ignores TSDB_ENABLED=false; rebuilding price_data as a plain table and dropping the extension"
      su_sql -c "BEGIN" -c "CREATE TABLE price_data_plain (LIKE price_data INCLUDING DEFAULTS INCLUDING CONSTRAINTS)" \
        -c "DROP TABLE price_data" -c "DROP EXTENSION timescaledb" -c "ALTER TABLE price_data_plain RENAME TO price_data" \
        -c "ALTER TABLE price_data ADD CONSTRAINT price_data_pkey PRIMARY KEY (symbol, timeframe, time)" \
        -c "ALTER TABLE price_data OWNER TO $DB_USER" -c "COMMIT"
    fi
  fi
}

chunks() { # the number of chunks of a hypertable (price_data by default); empty on plain PostgreSQL
  [[ "$MODE" == timescaledb ]] || return 0
  db_sql -c "SELECT count(*) FROM show_chunks('${1:-price_data}')"
}

# Compresses every chunk of price_data; sets COMPRESS_SECONDS, COMPRESS_CHUNKS and the bytes before and after (the sums
# of chunk_compression_stats: table, indexes and TOAST of each chunk).
compress_all() {
  local start; start=$(now)
  db_sql -c "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('price_data') c" 2>"$WORK/compress.log" >/dev/null \
    || { cat "$WORK/compress.log" >&2; die "compress_chunk failed"; }
  COMPRESS_SECONDS=$(since "$start")
  IFS='|' read -r COMPRESS_CHUNKS COMPRESSED_CHUNKS BYTES_BEFORE BYTES_AFTER < <(db_sql -c "
    SELECT count(*), count(*) FILTER (WHERE compression_status = 'Compressed'),
           sum(before_compression_total_bytes), sum(after_compression_total_bytes)
    FROM chunk_compression_stats('price_data')")
  POOR_CHUNKS=$(grep -c 'poor compression ratio' "$WORK/compress.log" || true)
}

# What the compressed bytes are made of: stored bytes per row of each column over every compressed chunk of price_data
# (pg_column_size of the compressed batches: time is delta-delta encoded, the double precision columns Gorilla).
column_bytes() {
  local chunks_sql
  chunks_sql=$(su_sql -c "SELECT string_agg(format('SELECT * FROM %I.%I', cc.schema_name, cc.table_name), ' UNION ALL ')
    FROM _timescaledb_catalog.chunk c JOIN _timescaledb_catalog.chunk cc ON cc.id = c.compressed_chunk_id
    JOIN _timescaledb_catalog.hypertable h ON h.id = c.hypertable_id WHERE h.table_name = 'price_data'")
  [[ -n "$chunks_sql" ]] || return 0
  su_sql -c "SELECT concat_ws(', ', 'time ' || round(sum(pg_column_size(time))::numeric / sum(_ts_meta_count), 1),
      'open ' || round(sum(pg_column_size(open))::numeric / sum(_ts_meta_count), 1),
      'high ' || round(sum(pg_column_size(high))::numeric / sum(_ts_meta_count), 1),
      'low ' || round(sum(pg_column_size(low))::numeric / sum(_ts_meta_count), 1),
      'close ' || round(sum(pg_column_size(close))::numeric / sum(_ts_meta_count), 1),
      'volume ' || round(sum(pg_column_size(volume))::numeric / sum(_ts_meta_count), 1),
      'batches ' || count(*) || ' of ' || round(avg(_ts_meta_count)) || ' rows')
    FROM ($chunks_sql) b"
}

# Direct compress (TimescaleDB 2.21+): psql alone, one session, the same CSV files, into (a) the keyed hypertable,
# (b) a hypertable with the same columns and compression settings but no unique index, (c) (b) with
# timescaledb.enable_direct_compress_copy on, which lands the rows compressed (the setting does nothing on a table with a
# unique index). Sets DC_SECONDS_{A,B,C} and DC_COMPRESSED_{A,B,C} (chunks compressed right after the COPY / chunks).
direct_compress_experiment() {
  local t s
  db_sql -c "DROP TABLE IF EXISTS bench_nokey" -c "CREATE TABLE bench_nokey (LIKE price_data INCLUDING DEFAULTS)" \
    -c "SELECT create_hypertable('bench_nokey', 'time', chunk_time_interval => (SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data'))" \
    -c "ALTER TABLE bench_nokey SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'time')" >/dev/null
  for t in a b c; do
    case $t in
      a) COPY_TABLE=price_data SESSION_PRELUDE="" ;;
      b) COPY_TABLE=bench_nokey SESSION_PRELUDE="" ;;
      c) COPY_TABLE=bench_nokey SESSION_PRELUDE="SET timescaledb.enable_direct_compress_copy = on;" ;;
    esac
    say "direct compress experiment ($t: $COPY_TABLE${SESSION_PRELUDE:+, direct compress on})..."
    db_sql -c "TRUNCATE $COPY_TABLE"
    su_sql -c "CHECKPOINT"
    psql_sessions 1 "psql \\copy -> $COPY_TABLE${SESSION_PRELUDE:+ (direct compress)}" copy_csv_sql "$DATA"/psql/*.csv
    s=$(db_sql -c "SELECT count(*) FILTER (WHERE is_compressed) || '/' || count(*) FROM timescaledb_information.chunks WHERE hypertable_name = '$COPY_TABLE'")
    printf -v "DC_SECONDS_${t^^}" '%s' "$SESSIONS_SECONDS"
    printf -v "DC_COMPRESSED_${t^^}" '%s' "$s"
    [[ "$t" != c ]] || DC_BYTES_C=$(db_sql -c "SELECT pg_size_pretty(hypertable_size('bench_nokey'))")
  done
  DC_ROWS=$(db_sql -c "SELECT count(*) FROM bench_nokey")
  COPY_TABLE=price_data SESSION_PRELUDE=""
  db_sql -c "DROP TABLE bench_nokey" -c "TRUNCATE price_data"
}
