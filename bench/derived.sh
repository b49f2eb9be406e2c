#!/usr/bin/env bash
# ./ktrdr bench --derived [--plain]: one year of a derived 1h series (aggregated from 525,600 stored 1m bars) read
# through the repository against one year of a stored 1h series of the same size; figures and the ratio (goal: within
# 2x), no assertion. Sourced by bench/run.sh, which has set ROOT, STATE, KTRDR, BENCH_BIN, WORK, MODE and the helpers.
# shellcheck shell=bash

derived_bench() {
  local db="${BENCH_DB}_derived" tsdb stored derived s_ms d_ms rows_s rows_d ratio method
  BENCH_DB=$db
  tsdb=$([[ "$MODE" == plain ]] && echo false || echo true)
  export KTRDR_DERIVED_TIMEFRAMES=1m:1h TSDB_ENABLED=$tsdb DB_NAME=$db
  build_bench
  say "fresh database $db (derived timeframes 1m:1h, TSDB_ENABLED=$tsdb)"
  psql_as "$SUPERUSER" "$SUPERPASS" postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER $DB_USER" \
    || die "cannot create $db as $SUPERUSER (BENCH_PG_SUPERUSER / BENCH_PG_SUPERPASSWORD)"
  "$KTRDR" db migrate >"$WORK/derived-migrate.log" 2>&1 || { cat "$WORK/derived-migrate.log" >&2; die "db migrate failed"; }
  say "one year of 1m bars of D1 (525,600) and their 1h aggregation stored as S1's 1h series..."
  "$BENCH_BIN/ktrdr-bench" derived-data D1 S1 2021-01-01 2022-01-01 >&2 || die "derived-data failed"
  # db migrate again: the continuous aggregate materializes the bars (what its refresh policy does in the background).
  "$KTRDR" db migrate >>"$WORK/derived-migrate.log" 2>&1 || { cat "$WORK/derived-migrate.log" >&2; die "db migrate failed"; }
  db_sql -c "VACUUM ANALYZE price_data"
  say "reading one year of S1 1h (stored) and D1 1h (derived), $READ_REPEAT times each..."
  stored=$("$BENCH_BIN/ktrdr-bench" read S1 1h 2021-01-01 2022-01-01 "$READ_REPEAT") || die "stored read failed"
  derived=$("$BENCH_BIN/ktrdr-bench" read D1 1h 2021-01-01 2022-01-01 "$READ_REPEAT") || die "derived read failed"
  rows_s=$(sed -E 's/rows=([0-9]+).*/\1/' <<<"$stored") s_ms=$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$stored")
  rows_d=$(sed -E 's/rows=([0-9]+).*/\1/' <<<"$derived") d_ms=$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$derived")
  ((rows_s == rows_d)) || die "stored read gave $rows_s bars, derived $rows_d"
  ratio=$(calc "$d_ms / $s_ms")
  method=$([[ "$MODE" == plain ]] && echo "aggregated at read time (date_bin query)" || echo "TimescaleDB continuous aggregate, materialized, real-time on")
  echo
  echo "ktrdr bench --derived: one year of 1h bars ($rows_s) through the repository, median of $READ_REPEAT reads after a 2 s warm-up"
  printf '%-92s %8s %10s\n' "read" "bars" "median ms"
  printf '%-92s %8s %10.2f\n' "stored 1h (S1)" "$rows_s" "$s_ms"
  printf '%-92s %8s %10.2f\n' "derived 1h from 525,600 1m bars (D1), $method" "$rows_d" "$d_ms"
  printf 'ratio derived/stored: %.2fx (goal: within 2x: %s)\n' "$ratio" "$(verdict "$ratio <= 2")"
  echo "stored: $stored"
  echo "derived: $derived"
}
