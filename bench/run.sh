#!/usr/bin/env bash
# ./ktrdr bench [--quick] [--plain] [--derived] [--imports]: our migrate / re-run / read / verify against psql on the same server,
# in one run, on a TimescaleDB hypertable (default) or a plain PostgreSQL table (--plain); --derived: only the derived-timeframe
# read (bench/derived.sh); --imports: only our migrate, first run and re-run, in rows/s (no psql, reads or verification).
# Run through ./ktrdr, which builds the worker, starts the local PostgreSQL and exports DB_*. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
STATE="$ROOT/.ktrdr"
KTRDR="$STATE/bin/ktrdr"
BENCH_BIN="$STATE/bench-bin"
LC_ALL=C
export LC_ALL

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

QUICK=0 MODE=timescaledb DERIVED=0 IMPORTS=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --derived) DERIVED=1 ;;
    --imports) IMPORTS=1 ;;
    --plain) MODE=plain ;;
    -h | --help) sed -n '2,5p' "$0" | sed 's/^# //'; exit 0 ;;
    *) die "unknown argument '$arg' (use --quick, --plain, --derived, --imports, or set BENCH_* variables: see bench/README.md)" ;;
  esac
done

[[ -n "${DB_PORT:-}" && -x "$KTRDR" ]] || die "run this through ./ktrdr bench (it builds the worker and starts PostgreSQL)"
if ((QUICK)); then
  : "${BENCH_SYMBOLS:=2}" "${BENCH_ROWS:=240000}" "${BENCH_MEMORY_ROWS:=100000 400000}" "${BENCH_READ_REPEAT:=5}"
fi
SYMBOLS="${BENCH_SYMBOLS:-10}"
ROWS="${BENCH_ROWS:-5000000}"
MEMORY_ROWS="${BENCH_MEMORY_ROWS:-1000000 10000000}"
READ_REPEAT="${BENCH_READ_REPEAT:-9}"
SCALE="${BENCH_SCALE:-0}"
SCALE_ROWS="${BENCH_SCALE_ROWS:-50000000}"
BENCH_DB="${BENCH_DB:-ktrdr_bench}"
DECIMALS="${BENCH_DECIMALS:-2}"
PSQL_PIECE_ROWS="${BENCH_PSQL_PIECE_ROWS:-1000000}"
SUPERUSER="${BENCH_PG_SUPERUSER:-postgres}"
SUPERPASS="${BENCH_PG_SUPERPASSWORD:-postgres}"
WORK="${BENCH_DIR:-$STATE/bench}"
TIMEFRAME=5m
PER_SYMBOL=$((ROWS / SYMBOLS))
((PER_SYMBOL >= 105120)) || die "BENCH_ROWS/BENCH_SYMBOLS = $PER_SYMBOL: each file needs at least 105,120 bars (one year of 5m bars)"
# One year of 5-minute bars = 105,120 rows: 2021 when the files reach it (the middle of a series), else 2020-01-01 + 365 days.
if ((PER_SYMBOL >= 210528)); then READ_START=2021-01-01 READ_END=2022-01-01; else READ_START=2020-01-01 READ_END=2020-12-31; fi

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=bench/tsdb.sh
source "$ROOT/bench/tsdb.sh"
# shellcheck source=bench/derived.sh
source "$ROOT/bench/derived.sh"
if ((DERIVED)); then
  mkdir -p "$WORK"
  derived_bench
  exit 0
fi

# --- setup ---------------------------------------------------------------------------------------------------------
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$WORK"
((IMPORTS)) || build_bench # the in-process bench (reads, verification) is not needed for the imports alone
say "fresh database $BENCH_DB on $DB_HOST:$DB_PORT"
psql_as "$SUPERUSER" "$SUPERPASS" postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB OWNER $DB_USER" \
  || die "cannot create $BENCH_DB as $SUPERUSER (BENCH_PG_SUPERUSER / BENCH_PG_SUPERPASSWORD)"
export DB_NAME="$BENCH_DB"
setup_schema
if [[ "$MODE" == timescaledb ]]; then
  TSDB_CHUNK_DESC="chunk interval $(db_sql -c "SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data'"), TSDB_CHUNK_INTERVAL"
  TSDB_VERSION=$(db_sql -c "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
fi
export BENCH_PLAN_DB="Host=$DB_HOST;Port=$DB_PORT;Username=$SUPERUSER;Password=$SUPERPASS;Database=$BENCH_DB"

symbols=()
for ((i = 0; i < SYMBOLS; i++)); do symbols+=("$(printf 'B%02d' "$i")"); done
DATA="$WORK/data-$SYMBOLS-$PER_SYMBOL-d$DECIMALS"
make_data "$DATA" "$PER_SYMBOL" "${symbols[@]}"
TOTAL=$((PER_SYMBOL * SYMBOLS))

server=$(su_sql -c "SELECT split_part(version(), ' ', 2)")
settings=$(su_sql -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings
  WHERE name IN ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'random_page_cost', 'effective_cache_size', 'wal_level', 'fsync')")
workers="${KTRDR_WORKERS:-default (max(2, cores))}"

# --imports: our two timed migrations alone, for a before/after of an importer change (minutes instead of the whole bench).
if ((IMPORTS)); then
  for label in first rerun; do
    say "migrate, $label..."
    [[ "$label" == first ]] && fresh_table
    migrate "$DATA/csv" "imports-$label" || die "migrate ($label) failed: $MIG_ERROR"
    printf '%-28s %12s rows %8.2f s %10.0f rows/s  inserted %s, present %s, conflicting %s, rejected %s, peak RSS %s MB, client CPU %s s (whole command)\n' \
      "migrate, $label: imports" "$(fmt_int "$TOTAL")" "$MIG_IMPORT" "$(calc "$TOTAL / $MIG_IMPORT")" \
      "$MIG_INSERTED" "$MIG_PRESENT" "$MIG_CONFLICTING" "$MIG_REJECTED" "$MIG_RSS_MB" "$MIG_CLIENT_CPU"
  done
  exit 0
fi

# --- 1. first migration vs psql \copy ------------------------------------------------------------------------------
say "psql \\copy of $(fmt_int $TOTAL) rows into the keyed table..."
fresh_table
psql_sessions 1 "psql \\copy" copy_csv_sql "$DATA"/psql/*.csv
PSQL_COPY=$SESSIONS_SECONDS
PSQL_CHUNKS=$(chunks)

# What the server itself accepts, with no client parsing anything: the same rows as binary COPY files, loaded by psql in
# one and in two sessions (the worker's two streams). And what a per-series partition layout would allow.
dump_binary "$DATA" "${symbols[@]}"
binaries=("$DATA"/bin/*.bin)
say "psql \\copy (binary) of the same rows, 1 session..."
fresh_table
psql_sessions 1 "psql \\copy binary, 1 session" copy_binary_sql "${binaries[@]}"
CEIL1=$SESSIONS_SECONDS
say "psql \\copy (binary), 2 sessions..."
fresh_table
psql_sessions 2 "psql \\copy binary, 2 sessions" copy_binary_sql "${binaries[@]}"
CEIL2=$SESSIONS_SECONDS
if [[ "$MODE" == plain ]]; then # a plain-table layout experiment; a hypertable already gives each chunk its own index
  say "per-series partitions (experiment), 2 sessions..."
  fresh_table
  su_sql -c "DROP TABLE IF EXISTS bench_series" -c "CREATE TABLE bench_series (LIKE price_data) PARTITION BY LIST (symbol)" \
    -c "ALTER TABLE bench_series ADD PRIMARY KEY (symbol, timeframe, time)" -c "ALTER TABLE bench_series OWNER TO $DB_USER"
  psql_sessions 2 "per-series partitions, 2 sessions" attach_partition_sql "${binaries[@]}"
  PARTITIONS=$SESSIONS_SECONDS
  parts_rows=$(db_sql -c "SELECT count(*) FROM bench_series")
  ((parts_rows == TOTAL)) || die "per-series partitions: $parts_rows rows of $TOTAL"
  su_sql -c "DROP TABLE bench_series"
else
  direct_compress_experiment
fi

say "migrate, first run..."
fresh_table
migrate "$DATA/csv" first || die "migrate (first run) failed: $MIG_ERROR"
FIRST_CHUNKS=$(chunks)
((MIG_INSERTED == TOTAL)) || die "first migration inserted $MIG_INSERTED of $TOTAL rows"
FIRST_IMPORT=$MIG_IMPORT FIRST_WALL=$MIG_WALL FIRST_VERIFY=$MIG_VERIFY
if [[ -n "$MIG_IMPORT_CPU" ]]; then
  read -r import_server import_client import_at <<<"$MIG_IMPORT_CPU"
  cpu_note "migrate, first run (start to imports done)" "$MIG_SERVER_BEFORE" "$import_server" "$import_client" "$import_at"
fi
cpu_note "migrate, first run (whole command)" "$MIG_SERVER_BEFORE" "$MIG_SERVER_AFTER" "$MIG_CLIENT_CPU" "$MIG_WALL"

say "migrate, re-run (every row present)..."
migrate "$DATA/csv" rerun || die "migrate (re-run) failed: $MIG_ERROR"
((MIG_PRESENT == TOTAL && MIG_INSERTED == 0)) || die "re-run: inserted $MIG_INSERTED, present $MIG_PRESENT of $TOTAL"
RERUN_IMPORT=$MIG_IMPORT RERUN_WALL=$MIG_WALL
cpu_note "migrate, re-run (whole command)" "$MIG_SERVER_BEFORE" "$MIG_SERVER_AFTER" "$MIG_CLIENT_CPU" "$MIG_WALL"

# --- 2. one-year read, 3. verify (uncompressed; then, on TimescaleDB, compressed) -------------------------------------
READ_SYMBOL="${symbols[1]:-${symbols[0]}}"
# read_step TAG: the one-year read by both sides and the plans; sets READ_MS_PSQL_TAG, READ_MS_OURS_TAG, PLAN_*_TAG.
read_step() {
  local tag=$1
  db_sql -c "VACUUM ANALYZE price_data"
  say "one-year read ($READ_START to $READ_END) of $READ_SYMBOL, $tag..."
  read_pair
  printf -v "READ_MS_PSQL_$tag" '%s' "$PSQL_READ_MS"
  printf -v "READ_MS_OURS_$tag" '%s' "$OUR_READ_MS"
  "$BENCH_BIN/ktrdr-bench" plan "$READ_SYMBOL" "$TIMEFRAME" "$READ_START" "$READ_END" >"$WORK/read-plan-$tag.txt"
  db_sql -c "SET enable_sort = off" -c "EXPLAIN (ANALYZE, BUFFERS) $(READ_SQL "$READ_SYMBOL")" >"$WORK/read-plan-psql-$tag.txt"
  db_sql -c "EXPLAIN (ANALYZE, BUFFERS) $(READ_SQL "$READ_SYMBOL")" >"$WORK/read-plan-psql-default-$tag.txt"
  printf -v "PLAN_OURS_$tag" '%s' "$(plan_summary "$WORK/read-plan-$tag.txt")"
  printf -v "PLAN_PSQL_$tag" '%s' "$(plan_summary "$WORK/read-plan-psql-$tag.txt")"
  printf -v "PLAN_DEFAULT_$tag" '%s (EXPLAIN ANALYZE %s ms vs %s ms)' "$(plan_summary "$WORK/read-plan-psql-default-$tag.txt")" \
    "$(awk '/Execution Time/ { print $3 }' "$WORK/read-plan-psql-default-$tag.txt")" "$(awk '/Execution Time/ { print $3 }' "$WORK/read-plan-psql-$tag.txt")"
  # The repository's plan must read the rows in order: no Sort node (a plain table: the primary key's index scan;
  # a hypertable: ordered chunk scans, index scans or decompression in orderby order).
  # A Sort of compressed batches by their _ts_meta_* bounds (a few rows per chunk) is not a sort of the rows.
  if grep 'Sort Key:' "$WORK/read-plan-$tag.txt" | grep -vq '_ts_meta_' || ! grep -Eq 'Index Scan|Index Only Scan|DecompressChunk|ColumnarScan' "$WORK/read-plan-$tag.txt"; then
    printf -v "PLAN_OK_$tag" 0
  else
    printf -v "PLAN_OK_$tag" 1
  fi
}

# `./ktrdr verify` when this build has it (BENCH_VERIFY=command), else the same comparison in-process (BENCH_VERIFY=comparer):
# SeriesComparer per file, as many files at a time as `ktrdr verify --parallel` defaults to, max(2, cores).
VERIFY_PARALLEL="${BENCH_VERIFY_PARALLEL:-$(( $(nproc) > 2 ? $(nproc) : 2 ))}"
verify_help=$("$KTRDR" verify --help 2>/dev/null || true)
if [[ "$verify_help" == *"ktrdr verify"* ]]; then VERIFY_MODE="${BENCH_VERIFY:-command}"; else VERIFY_MODE="${BENCH_VERIFY:-comparer}"; fi
verify_step() { # verify_step TAG: sets VERIFY_SECONDS_TAG, VERIFY_ROWS
  local tag=$1 line before start
  if [[ "$VERIFY_MODE" == command ]]; then
    say "verify of all data, $tag (./ktrdr verify --parallel $VERIFY_PARALLEL)..."
    start=$(now)
    "$KTRDR" verify --data-dir "$DATA/csv" --parallel "$VERIFY_PARALLEL" >"$WORK/verify-$tag.out" 2>"$WORK/verify-$tag.log" \
      || { tail -n 20 "$WORK/verify-$tag.out" "$WORK/verify-$tag.log" >&2; die "./ktrdr verify failed: see $WORK/verify-$tag.out"; }
    printf -v "VERIFY_SECONDS_$tag" '%s' "$(since "$start")"
    VERIFY_ROWS=$TOTAL
    VERIFY_LABEL="./ktrdr verify (the command, --parallel $VERIFY_PARALLEL, process start and integrity checks included)"
  else
    say "verify of all data, $tag (SeriesComparer, $VERIFY_PARALLEL files at a time)..."
    before=$(server_cpu)
    line=$(/usr/bin/time -f '%U %S' -o "$WORK/verify-time.txt" "$BENCH_BIN/ktrdr-bench" verify "$DATA/csv" "$VERIFY_PARALLEL") \
      || die "verify found differences: $line"
    printf -v "VERIFY_SECONDS_$tag" '%s' "$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")"
    VERIFY_ROWS=$(sed -E 's/rows=([0-9]+).*/\1/' <<<"$line")
    cpu_note "verify (SeriesComparer), $tag" "$before" "$(server_cpu)" "$(awk '{ print $1 + $2 }' "$WORK/verify-time.txt")" "$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")"
    VERIFY_LABEL="bench/Ktrdr.Bench verify: Ktrdr.Jobs.SeriesComparer per file, $VERIFY_PARALLEL at a time (./ktrdr verify is not in this build)"
  fi
}

# The data-quality checks of every series (`./ktrdr data quality --all`, one ordered read of each series, as many at a
# time as verify) against `./ktrdr verify` of the same data. verify runs the same checks at its end: its own quality
# part (the seconds it prints) is taken off its time, so the ratio is against the comparison and integrity checks.
quality_step() { # quality_step TAG: sets QUALITY_SECONDS_TAG, QUALITY_INNER_TAG, VERIFY_CORE_TAG, VERIFY_QUALITY_TAG
  local tag=$1 start v vq
  say "data quality checks of all series, $tag (./ktrdr data quality --all --parallel $VERIFY_PARALLEL)..."
  start=$(now)
  "$KTRDR" data quality --all --parallel "$VERIFY_PARALLEL" >"$WORK/quality-$tag.out" 2>"$WORK/quality-$tag.log" \
    || { tail -n 20 "$WORK/quality-$tag.out" "$WORK/quality-$tag.log" >&2; die "./ktrdr data quality --all failed: see $WORK/quality-$tag.out"; }
  printf -v "QUALITY_SECONDS_$tag" '%s' "$(since "$start")"
  printf -v "QUALITY_INNER_$tag" '%s' "$(sed -nE 's/^data quality \(warnings\):.* read in ([0-9.]+) s.*/\1/p' "$WORK/quality-$tag.out")"
  v="VERIFY_SECONDS_$tag"
  vq=$(sed -nE 's/^data quality \(warnings\):.* read in ([0-9.]+) s.*/\1/p' "$WORK/verify-$tag.out" 2>/dev/null || true)
  printf -v "VERIFY_QUALITY_$tag" '%s' "${vq:-0}"
  printf -v "VERIFY_CORE_$tag" '%s' "$(calc "${!v} - ${vq:-0}")"
}

read_step U
verify_step U
quality_step U
if [[ "$MODE" == timescaledb ]]; then
  say "compressing every chunk of price_data..."
  compress_all
  COLUMN_BYTES=$(column_bytes)
  read_step C
  verify_step C
  quality_step C
fi

# --- 4. single files: completes, peak memory, rate against psql's one session ------------------------------------------
# psql: the whole file in one \copy (one transaction), one session. If that fails (a hypertable with many chunks runs
# out of lock slots: SQLSTATE 53200), also the file in pieces of PSQL_PIECE_ROWS lines, one \copy (transaction) each.
# ktrdr migrate with KTRDR_IMPORT_MAX_ATTEMPTS=1: a failure is reported at once instead of retried with back-off.
MEM_RESULTS=()
US=$'\x1f'
for n in $MEMORY_ROWS; do
  mdir="$WORK/memory-$n-d$DECIMALS"
  make_data "$mdir" "$n" "M$n"
  say "psql \\copy of $(fmt_int "$n") rows in one file, one session..."
  fresh_table
  mp="" mp_err="" mp_pieces=""
  if PSQL_MAY_FAIL=1 psql_sessions 1 "psql \\copy 1 file ($n)" copy_csv_sql "$mdir"/psql/*.csv; then mp=$SESSIONS_SECONDS; else
    mp_err="$SESSIONS_ERROR (after $(printf '%.1f' "$SESSIONS_SECONDS") s)"
    if [[ ! -f "$mdir/pieces/.complete-$PSQL_PIECE_ROWS" ]]; then
      rm -rf "$mdir/pieces" && mkdir -p "$mdir/pieces"
      split -l "$PSQL_PIECE_ROWS" -d -a 4 "$mdir/psql/M${n}_$TIMEFRAME.csv" "$mdir/pieces/M${n}_$TIMEFRAME.part"
      touch "$mdir/pieces/.complete-$PSQL_PIECE_ROWS"
    fi
    say "psql \\copy of the same file in pieces of $(fmt_int "$PSQL_PIECE_ROWS") rows..."
    fresh_table
    psql_sessions 1 "psql \\copy 1 file in pieces ($n)" copy_csv_sql "$mdir"/pieces/*.part*
    mp_pieces=$SESSIONS_SECONDS
  fi
  mp_chunks=$(chunks)
  say "migrate of $(fmt_int "$n") rows in one file (peak RSS)..."
  fresh_table
  KTRDR_IMPORT_MAX_ATTEMPTS=1 migrate "$mdir/csv" "memory-$n" || true
  MEM_RESULTS+=("$n$US$MIG_RC$US$MIG_RSS_MB$US${MIG_IMPORT:-}$US$MIG_WALL$US$(chunks)$US$mp$US$mp_err$US$mp_pieces$US$MIG_ERROR$US$mp_chunks")
done

# --- 5. scale (optional) ----------------------------------------------------------------------------------------------
if [[ "$SCALE" == 1 ]]; then
  say "scale: growing price_data to $(fmt_int "$SCALE_ROWS") rows (same-shaped random walks, generated in the server)..."
  fresh_table
  migrate "$DATA/csv" scale-base || die "migrate (scale base) failed: $MIG_ERROR"
  db_sql -c "VACUUM ANALYZE price_data"
  read_pair
  SCALE_BASE_OURS=$OUR_READ_MS SCALE_BASE_PSQL=$PSQL_READ_MS
  extra=$(( (SCALE_ROWS - TOTAL) / PER_SYMBOL ))
  start=$(now)
  db_sql -c "INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
    SELECT timestamptz '2020-01-01 00:00:00+00' + g * interval '5 minutes', 'X' || lpad(s::text, 4, '0'), '$TIMEFRAME',
           100 + g % 97, 101 + g % 97, 99 + g % 97, 100.5 + g % 97, g % 5000
    FROM generate_series(1, $extra) s, generate_series(0, $PER_SYMBOL - 1) g ORDER BY s, g"
  db_sql -c "VACUUM ANALYZE price_data"
  SCALE_LOAD=$(since "$start")
  SCALE_TOTAL=$(db_sql -c "SELECT count(*) FROM price_data")
  read_pair
  SCALE_OURS=$OUR_READ_MS SCALE_PSQL=$PSQL_READ_MS
  SCALE_PLAN=$(plan_summary <("$BENCH_BIN/ktrdr-bench" plan "$READ_SYMBOL" "$TIMEFRAME" "$READ_START" "$READ_END"))
fi

# --- the table --------------------------------------------------------------------------------------------------------
r_migrate=$(calc "$PSQL_COPY / $FIRST_IMPORT")
r_migrate_wall=$(calc "$PSQL_COPY / $FIRST_WALL")
r_ceil1=$(calc "$PSQL_COPY / $CEIL1")
r_ceil2=$(calc "$PSQL_COPY / $CEIL2")
r_rerun=$(calc "$FIRST_IMPORT / $RERUN_IMPORT")
r_rerun_wall=$(calc "$FIRST_WALL / $RERUN_WALL")
r_verify=$(calc "$VERIFY_SECONDS_U / $FIRST_IMPORT")
x() { printf '%.2fx' "$1"; }
TABLE_NAME=$([[ "$MODE" == timescaledb ]] && echo "price_data (hypertable)" || echo "price_data (plain)")

row "psql \\copy -> $TABLE_NAME (baseline)" "$TOTAL" "$PSQL_COPY" "1.00x" "" ""
[[ -z "$PSQL_CHUNKS" ]] || note "chunks after this load: $PSQL_CHUNKS ($TSDB_CHUNK_DESC)"
row "psql \\copy binary, 1 session (server limit)" "$TOTAL" "$CEIL1" "$(x "$r_ceil1")" "(info: no client work)" ""
row "psql \\copy binary, 2 sessions (server limit)" "$TOTAL" "$CEIL2" "$(x "$r_ceil2")" "(info: no client work)" ""
if [[ "$MODE" == plain ]]; then
  row "per-series partitions, 2 sessions (experiment)" "$TOTAL" "$PARTITIONS" "$(x "$(calc "$PSQL_COPY / $PARTITIONS")")" "(info: another layout)" ""
  note "psql: binary COPY into a bare table per file, its primary key built afterwards, ATTACHed to a table partitioned by symbol"
fi
if [[ "$MODE" == timescaledb ]]; then
  row "direct compress: (a) psql -> keyed hypertable" "$TOTAL" "$DC_SECONDS_A" "$(x "$(calc "$PSQL_COPY / $DC_SECONDS_A")")" "(info)" ""
  note "chunks compressed right after the COPY: $DC_COMPRESSED_A (the PRIMARY KEY switches direct compress off)"
  row "direct compress: (b) psql -> no unique index" "$TOTAL" "$DC_SECONDS_B" "$(x "$(calc "$PSQL_COPY / $DC_SECONDS_B")")" "(info)" ""
  note "chunks compressed right after the COPY: $DC_COMPRESSED_B"
  row "direct compress: (c) (b) + direct compress on" "$TOTAL" "$DC_SECONDS_C" "$(x "$(calc "$PSQL_COPY / $DC_SECONDS_C")")" "(info)" ""
  note "chunks compressed right after the COPY: $DC_COMPRESSED_C, $DC_ROWS rows, hypertable $DC_BYTES_C; ratio = baseline seconds / these"
  note "to adopt it: no unique index on price_data (duplicates then caught by the importer, not the key), imports that never need ON CONFLICT, and a re-run/merge path for compressed chunks"
fi
row "migrate, first run: imports (jobs)" "$TOTAL" "$FIRST_IMPORT" "$(x "$r_migrate")" ">= 1.50x psql" "$(verdict "$r_migrate >= 1.5")"
note "$(printf '%.0f' "$(calc "100 * $CEIL2 / $FIRST_IMPORT")")% of the speed of the 2-session binary COPY, which has no CSV to parse and the cores to itself$( (($(echo "$r_migrate < 1.5 && $r_ceil2 < 1.5" | bc -l))) && echo "; the goal is above what this server accepts into this table even from psql's binary COPY")"
[[ -z "$FIRST_CHUNKS" ]] || note "chunks after this load: $FIRST_CHUNKS"
row "migrate, first run: whole command" "$TOTAL" "$FIRST_WALL" "$(x "$r_migrate_wall")" ">= 1.00x psql" "$(verdict "$r_migrate_wall >= 1.0")"
note "start, planning, imports, the run's verification job ($(printf '%.2f' "$FIRST_VERIFY") s) and the report; psql verifies nothing"
row "migrate, re-run, all present: imports" "$TOTAL" "$RERUN_IMPORT" "$(x "$r_rerun")" ">= 1.00x first run" "$(verdict "$r_rerun >= 1.0")"
row "migrate, re-run, all present: whole command" "$TOTAL" "$RERUN_WALL" "$(x "$r_rerun_wall")" "(info)" ""
read_rows() { # read_rows TAG LABEL
  local p="READ_MS_PSQL_$1" o="READ_MS_OURS_$1" ok="PLAN_OK_$1" po="PLAN_OURS_$1" pp="PLAN_PSQL_$1" pd="PLAN_DEFAULT_$1" r
  r=$(calc "${!o} / ${!p}")
  row "read 1 year$2, psql \\copy binary (median)" "$READ_ROWS" "$(calc "${!p} / 1000")" "1.00x" "" ""
  row "read 1 year$2, repository (median)" "$READ_ROWS" "$(calc "${!o} / 1000")" "$(x "$r")" "<= 1.20x psql" "$(verdict "$r <= 1.2")"
  note "plan, repository: ${!po} ($( ((${!ok})) && echo 'rows in order, no sort of rows: met' || echo 'a Sort of rows or no ordered scan: NOT MET'))"
  note "plan, psql (enable_sort off, as the repository): ${!pp}"
  note "plan, psql (server default): ${!pd}"
}
read_rows U "$([[ "$MODE" == timescaledb ]] && echo ', uncompressed')"
row "verify all data ($VERIFY_MODE, ${VERIFY_PARALLEL} at a time)" "$VERIFY_ROWS" "$VERIFY_SECONDS_U" "$(x "$r_verify")" "< 1.00x first import" "$(verdict "$r_verify < 1.0")"
quality_rows() { # quality_rows TAG LABEL
  local q="QUALITY_SECONDS_$1" qi="QUALITY_INNER_$1" vc="VERIFY_CORE_$1" vq="VERIFY_QUALITY_$1" v="VERIFY_SECONDS_$1" r
  r=$(calc "${!q} / ${!vc}")
  row "data quality --all$2 (command)" "$TOTAL" "${!q}" "$(x "$r")" "<= 0.50x verify" "$(verdict "$r <= 0.5")"
  note "ratio = data quality's seconds / verify's $(printf '%.2f' "${!vc}") s (its $(printf '%.2f' "${!v}") s less the $(printf '%.2f' "${!vq}") s of its own quality part); against the whole verify command: $(x "$(calc "${!q} / ${!v}")")"
  note "the checks took $(printf '%.2f' "${!qi}") s in-process, nearly all of it the ordered read of every bar that verify's comparison also does (the analyzer: about 0.1 us a bar)"
}
quality_rows U "$([[ "$MODE" == timescaledb ]] && echo ', uncompressed')"
if [[ "$MODE" == timescaledb ]]; then
  r_comp=$(calc "$BYTES_BEFORE / $BYTES_AFTER")
  row "compress every chunk (compress_chunk)" "$TOTAL" "$COMPRESS_SECONDS" "" "(info)" ""
  row "compression: $(fmt_int $((BYTES_BEFORE / 1048576))) MB -> $(fmt_int $((BYTES_AFTER / 1048576))) MB" "$TOTAL" "" "$(x "$r_comp")" ">= 10.00x" "$(verdict "$r_comp >= 10")"
  note "$COMPRESSED_CHUNKS of $COMPRESS_CHUNKS chunks compressed ($POOR_CHUNKS with TimescaleDB's 'poor compression ratio' warning); bytes = table + indexes + TOAST of the chunks (chunk_compression_stats)"
  note "per row: $(calc "$BYTES_BEFORE / $TOTAL" | xargs printf '%.0f') B before, $(calc "$BYTES_AFTER / $TOTAL" | xargs printf '%.1f') B after; stored bytes per row in the compressed batches: $COLUMN_BYTES"
  note "data: $DECIMALS-decimal prices, whole-number volumes (ktrdr sample --decimals $DECIMALS)"
  read_rows C ", compressed"
  r_vc=$(calc "$VERIFY_SECONDS_C / $VERIFY_SECONDS_U")
  row "verify all data, compressed chunks" "$VERIFY_ROWS" "$VERIFY_SECONDS_C" "$(x "$r_vc")" "(info: vs uncompressed)" ""
  quality_rows C ", compressed"
fi
first_rss=""
for m in "${MEM_RESULTS[@]}"; do
  IFS="$US" read -r n rc rss import wall mchunks mp mp_err mp_pieces merr mp_chunks <<<"$m"
  if [[ -n "$mp" ]]; then
    psql_rate_s=$mp
    row "psql \\copy 1 file, 1 session" "$n" "$mp" "1.00x" "" ""
  else
    psql_rate_s=$mp_pieces
    row "psql \\copy 1 file, 1 session: FAILED" "$n" "" "" "(info)" ""
    note "psql: $mp_err"
    row "psql \\copy 1 file in $(fmt_int "$PSQL_PIECE_ROWS")-row pieces" "$n" "$mp_pieces" "1.00x" "" ""
    note "one session, one \\copy (one transaction) per piece: the baseline for this file"
  fi
  [[ -z "$mp_chunks" ]] || note "chunks after this load: $mp_chunks"
  if ((rc == 0)); then
    r=$(calc "$psql_rate_s / $import")
    row "migrate 1 file: imports" "$n" "$import" "$(x "$r")" ">= 1.00x psql" "$(verdict "$r >= 1.0")"
    [[ -z "$mchunks" ]] || note "completes: met; chunks after this load: $mchunks; whole command $(printf '%.2f' "$wall") s"
  else
    row "migrate 1 file: FAILED (exit $rc)" "$n" "$wall" "" "completes" "NOT MET"
    note "error: $merr"
    row "migrate 1 file: imports" "$n" "" "" ">= 1.00x psql" "NOT MET (failed)"
  fi
  if [[ -z "$first_rss" ]]; then
    first_rss=$rss first_n=$n
    row "migrate 1 file: peak RSS $rss MB" "$n" "" "" "" ""
  else
    r=$(calc "$rss / $first_rss")
    row "migrate 1 file: peak RSS $rss MB" "$n" "" "$(x "$r")" "<= 1.10x $(fmt_int "$first_n") rows" \
      "$( ((rc == 0)) && verdict "$r <= 1.1" || echo "NOT MET (the migration failed)")"
  fi
done
if [[ "$SCALE" == 1 ]]; then
  r_scale=$(calc "$SCALE_OURS / $SCALE_BASE_OURS")
  row "read 1 year at $(fmt_int "$TOTAL") rows, repository" "$READ_ROWS" "$(calc "$SCALE_BASE_OURS / 1000")" "$(x "$(calc "$SCALE_BASE_OURS / $SCALE_BASE_PSQL")")" "(vs psql)" ""
  row "read 1 year at $(fmt_int "$SCALE_TOTAL") rows, repository" "$READ_ROWS" "$(calc "$SCALE_OURS / 1000")" "$(x "$r_scale")" "<= 1.20x smaller table" "$(verdict "$r_scale <= 1.2")"
  note "same read by psql at $(fmt_int "$SCALE_TOTAL") rows: $(printf '%.1f' "$SCALE_PSQL") ms ($(x "$(calc "$SCALE_OURS / $SCALE_PSQL")") of it); plan: $SCALE_PLAN; loading the extra rows took $(printf '%.0f' "$SCALE_LOAD") s"
else
  note "scale (5M -> $(fmt_int "$SCALE_ROWS") rows): skipped; run with BENCH_SCALE=1 (about 10 more minutes)"
fi

echo
echo "ktrdr bench: $(fmt_int "$TOTAL") rows ($SYMBOLS files x $(fmt_int "$PER_SYMBOL") $TIMEFRAME bars)$( ((QUICK)) && echo ', --quick: a smoke run, where fixed costs (process start, JIT, job pick-up) dominate; judge the goals at the default size')"
echo "server: PostgreSQL $server on $DB_HOST:$DB_PORT, database $BENCH_DB; $settings"
echo "machine: $(nproc) cores, load average $LOAD_AT_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (other processes share the cores); KTRDR_WORKERS=$workers"
if [[ "$MODE" == timescaledb ]]; then
  echo "table: price_data, a TimescaleDB $TSDB_VERSION hypertable ($TSDB_CHUNK_DESC; compression segmentby symbol,timeframe orderby time; the policy paused during the run)"
else
  echo "table: price_data, a plain PostgreSQL table (--plain)"
fi
echo "psql baseline: one session, one \\copy per file of a psql-ready copy (symbol,timeframe appended to each line), into the same table"
echo "verify: $VERIFY_LABEL"
echo
printf '%-46s %12s %10s %12s %8s  %-24s %s\n' "step" "rows" "seconds" "rows/s" "ratio" "goal" "result"
printf '%s\n' "${ROWS_OUT[@]}"
if ((${#CPU_NOTES[@]})); then
  echo
  echo "CPU ($(nproc) cores; 'cores' = CPU seconds of server and client per second of wall time; other processes on the machine not counted):"
  printf '  %s\n' "${CPU_NOTES[@]}"
fi
echo
echo "details: $WORK (migrate-*.log, read-plan*.txt, verify-*.out)"
