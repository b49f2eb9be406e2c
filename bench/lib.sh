# Helpers of bench/run.sh (sourced; needs its variables: ROOT, STATE, KTRDR, BENCH_BIN, WORK, BENCH_DB, SUPERUSER, ...).
# shellcheck shell=bash

# --- helpers -------------------------------------------------------------------------------------------------------
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }
fmt_int() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
calc() { echo "scale=6; $*" | bc -l; }
psql_as() { # psql_as USER PASSWORD DATABASE ARGS...
  local user=$1 pass=$2 db=$3
  shift 3
  PGPASSWORD="$pass" psql -h "$DB_HOST" -p "$DB_PORT" -U "$user" -d "$db" -qAtX -v ON_ERROR_STOP=1 "$@"
}
su_sql() { psql_as "$SUPERUSER" "$SUPERPASS" "$BENCH_DB" "$@"; }
db_sql() { psql_as "$DB_USER" "$DB_PASSWORD" "$BENCH_DB" "$@"; }
fresh_table() { # every timed write starts from an empty table and a checkpoint, whoever writes
  db_sql -c "TRUNCATE price_data"
  su_sql -c "CHECKPOINT"
}
# CPU seconds used so far by the local cluster (postmaster, live backends, and the backends that have exited, which the
# postmaster reaps): with the client's CPU, it shows where each step's time went. Empty for a server elsewhere.
server_cpu() {
  local pm ticks p
  pm=$(head -n 1 "$STATE/pg/data/postmaster.pid" 2>/dev/null) && [[ -r /proc/$pm/stat ]] || { echo ""; return; }
  ticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat")
  for p in $(ps -o pid= --ppid "$pm"); do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
cpu_note() { # cpu_note LABEL SERVER_BEFORE SERVER_AFTER CLIENT_SECONDS WALL
  [[ -n "$2" && -n "$3" ]] || return 0
  local server; server=$(calc "$3 - $2")
  CPU_NOTES+=("$(printf '%-44s server %6.1f s, client %5.1f s = %5.2f cores over %6.2f s wall' "$1" "$server" "$4" "$(calc "($server + $4) / $5")" "$5")")
}
CPU_NOTES=()
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

build_bench() {
  local stamp="$BENCH_BIN/ktrdr-bench.dll"
  if [[ -f "$stamp" ]] && [[ -z "$(find "$ROOT/bench/Ktrdr.Bench" "$ROOT/src" -name '*.cs' -newer "$stamp" -print -quit)" ]]; then
    return 0
  fi
  say "building bench/Ktrdr.Bench..."
  # Separate artifacts: building here must not touch src/*/obj, which ./ktrdr watches to rebuild the worker.
  dotnet build "$ROOT/bench/Ktrdr.Bench/Ktrdr.Bench.csproj" -c Release -o "$BENCH_BIN" --artifacts-path "$STATE/bench-artifacts" \
    -nologo -v q -clp:ErrorsOnly >"$WORK/bench-build.log" 2>&1 || { cat "$WORK/bench-build.log" >&2; die "bench build failed"; }
  touch "$stamp"
}

# Writes SYMBOL_5m.csv files with `ktrdr sample`, and a psql-ready copy of each (symbol and timeframe appended to every
# line, header dropped): psql's \copy cannot add constant columns, and a staging table + INSERT would slow psql down.
make_data() { # make_data DIR ROWS SYMBOL...
  local dir=$1 rows=$2
  shift 2
  local stamp="$dir/.complete-$rows-$*"
  stamp="${stamp// /_}"
  [[ -f "$stamp" ]] && return 0
  rm -rf "$dir" && mkdir -p "$dir/csv" "$dir/psql"
  say "generating $(fmt_int $((rows * $#))) rows in $# file(s) ($dir)..."
  "$KTRDR" sample --out "$dir/csv" --symbols "$(IFS=,; echo "$*")" --timeframes "$TIMEFRAME" --rows "$rows" --decimals "$DECIMALS" >/dev/null
  local s
  for s in "$@"; do
    sed "1d;s/\$/,$s,$TIMEFRAME/" "$dir/csv/${s}_$TIMEFRAME.csv" >"$dir/psql/${s}_$TIMEFRAME.csv"
  done
  touch "$stamp"
}

# Runs `ktrdr migrate` on DIR; sets MIG_RC (its exit code), MIG_ERROR (the failed items' errors, else the log's last
# line), MIG_WALL, MIG_RSS_MB, MIG_IMPORT (run start -> last import done), MIG_VERIFY and the counts. Returns MIG_RC:
# callers that need the rows die, the single-file runs report the failure as a row and go on.
migrate() { # migrate DIR LABEL
  local dir=$1 label=$2
  local timing="$WORK/time.txt" log="$WORK/migrate-$2.log" pid kpid="" rc=0
  local start; start=$(now)
  MIG_SERVER_BEFORE=$(server_cpu) MIG_IMPORT_CPU=""
  /usr/bin/time -f '%e %M %U %S' -o "$timing" "$KTRDR" migrate --yes --data-dir "$dir" --report-dir "$WORK/report-$label" \
    >"$WORK/migrate-$label.out" 2>"$log" &
  pid=$!
  # The CPU used up to the moment the last import is final (the worker logs it when it enqueues the verification).
  # Polled gently, with bash's own file read: a busy loop of short processes would itself slow the migration down.
  while kill -0 "$pid" 2>/dev/null; do
    [[ -n "$kpid" ]] || kpid=$(pgrep -P "$pid" -x ktrdr || true)
    if [[ -z "$MIG_IMPORT_CPU" && -n "$kpid" && "$(<"$log")" == *"every import is final"* ]]; then
      MIG_IMPORT_CPU="$(server_cpu) $(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$kpid/stat" 2>/dev/null) $(since "$start")"
    fi
    sleep 0.25
  done
  wait "$pid" || rc=$?
  MIG_RC=$rc MIG_ERROR=""
  MIG_WALL=$(awk '{ print $1 }' "$timing") # the process's own wall time: the loop above may notice its end a little late
  MIG_SERVER_AFTER=$(server_cpu)
  MIG_RSS_MB=$(awk '{ printf "%.0f", $2 / 1024 }' "$timing")
  MIG_CLIENT_CPU=$(awk '{ print $3 + $4 }' "$timing")
  IFS='|' read -r MIG_IMPORT MIG_VERIFY MIG_READ MIG_INSERTED MIG_PRESENT MIG_CONFLICTING MIG_REJECTED < <(db_sql -c "
    SELECT extract(epoch FROM max(i.finished_at) - r.started_at), extract(epoch FROM r.finished_at - max(i.finished_at)),
           sum(i.rows_read), sum(i.inserted), sum(i.already_present), sum(i.conflicting), sum(i.rejected)
    FROM migration_runs r JOIN migration_items i ON i.run_id = r.id
    WHERE r.id = (SELECT max(id) FROM migration_runs) GROUP BY r.id, r.started_at, r.finished_at")
  if ((rc != 0)); then
    MIG_ERROR=$(db_sql -c "SELECT string_agg(DISTINCT left(regexp_replace(error, '\s+', ' ', 'g'), 300), ' | ') FROM migration_items
      WHERE run_id = (SELECT max(id) FROM migration_runs) AND error IS NOT NULL" 2>/dev/null || true)
    [[ -n "$MIG_ERROR" ]] || MIG_ERROR=$(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-300)
    say "migrate ($label) failed (exit $rc): $MIG_ERROR (log: $log)"
    return "$rc"
  fi
  local balance=$((MIG_INSERTED + MIG_PRESENT + MIG_CONFLICTING + MIG_REJECTED))
  ((balance == MIG_READ)) || die "migrate ($label): read $MIG_READ != inserted + present + conflicting + rejected ($balance)"
}

# The same rows in PostgreSQL's binary COPY format, one file per symbol, dumped from the baseline's table (untimed and
# kept with the data): what the server accepts when no client parses anything.
dump_binary() { # dump_binary DIR SYMBOL...
  local dir=$1 s
  shift
  [[ -f "$dir/bin/.complete" ]] && return 0
  mkdir -p "$dir/bin"
  for s in "$@"; do
    db_sql -c "\\copy (SELECT time, symbol, timeframe, open, high, low, close, volume FROM price_data WHERE symbol = '$s' ORDER BY symbol, timeframe, time) TO '$dir/bin/${s}_$TIMEFRAME.bin' (FORMAT binary)"
  done
  touch "$dir/bin/.complete"
}

# psql sessions in parallel, each running its share of the files (round robin, as free workers take the next file);
# sets SESSIONS_SECONDS. Each file's statements come from the function named by $3, given the file and its symbol
# (the file name up to "_TIMEFRAME"); each session starts with SESSION_PRELUDE (e.g. a SET). With PSQL_MAY_FAIL=1 a
# failure sets SESSIONS_ERROR (psql's message) and returns 1 instead of stopping the bench.
psql_sessions() { # psql_sessions SESSIONS LABEL SCRIPT_FUNCTION FILE...
  local n=$1 label=$2 fn=$3 i=0 f k pids=() name failed=0
  shift 3
  SESSIONS_ERROR=""
  for ((k = 0; k < n; k++)); do printf '%s\n' "${SESSION_PRELUDE:-}" >"$WORK/session-$k.sql"; done
  for f in "$@"; do
    name=$(basename "$f")
    "$fn" "$f" "${name%%_"$TIMEFRAME".*}" >>"$WORK/session-$((i % n)).sql"
    i=$((i + 1))
  done
  local start before; start=$(now) before=$(server_cpu)
  for ((k = 0; k < n; k++)); do
    PGPASSWORD="$DB_PASSWORD" /usr/bin/time -f '%U %S' -o "$WORK/session-$k.time" \
      psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -qAtX -v ON_ERROR_STOP=1 -f "$WORK/session-$k.sql" >/dev/null 2>"$WORK/session-$k.err" &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do wait "${pids[$k]}" || failed=1; done
  SESSIONS_SECONDS=$(since "$start")
  if ((failed)); then
    SESSIONS_ERROR=$(grep -h -v '^\s*$' "$WORK"/session-*.err | grep -v '^psql:.*NOTICE' | head -n 2 | cut -c1-300 | paste -sd ' ')
    rm -f "$WORK"/session-*.sql "$WORK"/session-*.time "$WORK"/session-*.err
    [[ "${PSQL_MAY_FAIL:-0}" == 1 ]] || die "$label: psql failed: $SESSIONS_ERROR"
    say "$label failed after $(printf '%.1f' "$SESSIONS_SECONDS") s: $SESSIONS_ERROR"
    return 1
  fi
  cpu_note "$label" "$before" "$(server_cpu)" "$(cat "$WORK"/session-*.time | awk '{ s += $1 + $2 } END { print s }')" "$SESSIONS_SECONDS"
  rm -f "$WORK"/session-*.sql "$WORK"/session-*.time "$WORK"/session-*.err
}
copy_csv_sql() { echo "\\copy ${COPY_TABLE:-price_data} (time, open, high, low, close, volume, symbol, timeframe) FROM '$1' (FORMAT csv)"; }
copy_binary_sql() { echo "\\copy price_data (time, symbol, timeframe, open, high, low, close, volume) FROM '$1' (FORMAT binary)"; }
# One bare table per file, filled by binary COPY, keyed afterwards (one sorted index build instead of a B-tree insert per
# row), then attached to a table partitioned by symbol: what a per-series partition layout would allow.
attach_partition_sql() {
  printf '%s\n' "BEGIN;" "CREATE TABLE bench_series_$2 (LIKE price_data);" \
    "\\copy bench_series_$2 (time, symbol, timeframe, open, high, low, close, volume) FROM '$1' (FORMAT binary)" \
    "ALTER TABLE bench_series_$2 ADD PRIMARY KEY (symbol, timeframe, time);" \
    "ALTER TABLE bench_series ATTACH PARTITION bench_series_$2 FOR VALUES IN ('$2');" "COMMIT;"
}

READ_SQL() { echo "SELECT time, open, high, low, close, volume FROM price_data WHERE symbol = '$1' AND timeframe = '$TIMEFRAME' AND time >= '$READ_START' AND time < '$READ_END' ORDER BY time"; }

# Median of READ_REPEAT runs of \copy (SELECT ...) TO '/dev/null' (FORMAT binary) after one warm-up, timed by psql.
# With enable_sort off, as the repository reads: psql gets the same plan (the ordered index scan), not a slower one.
psql_read_ms() { # psql_read_ms SYMBOL
  local i script="$WORK/read.sql"
  { echo 'SET enable_sort = off;'; echo '\timing on'; for ((i = 0; i <= READ_REPEAT; i++)); do echo "\\copy ($(READ_SQL "$1")) TO '/dev/null' (FORMAT binary)"; done; } >"$script"
  db_sql -f "$script" | awk '/^Time:/ { print $2 }' | tail -n +2 | median
}

# --- table ---------------------------------------------------------------------------------------------------------
ROWS_OUT=()
row() { # row LABEL ROWS SECONDS RATIO GOAL RESULT
  local rate="" seconds="$3"
  if [[ -n "$2" && -n "$3" ]] && (($(echo "$3 > 0" | bc -l))); then rate=$(fmt_int "$(printf '%.0f' "$(calc "$2 / $3")")"); fi
  [[ -n "$3" ]] && seconds=$(printf '%.2f' "$3")
  ROWS_OUT+=("$(printf '%-46s %12s %10s %12s %8s  %-24s %s' "$1" "${2:+$(fmt_int "$2")}" "$seconds" "$rate" "$4" "$5" "$6")")
}
note() { ROWS_OUT+=("    $*"); }
verdict() { if (($(echo "$1" | bc -l))); then echo met; else echo "NOT MET"; fi; }

read_ours() { "$BENCH_BIN/ktrdr-bench" read "$READ_SYMBOL" "$TIMEFRAME" "$READ_START" "$READ_END" "$READ_REPEAT"; }

read_pair() { # alternate psql and ours three times; the medians of each side's medians count
  local p=() o=() k line
  for k in 1 2 3; do
    p+=("$(psql_read_ms "$READ_SYMBOL")")
    line=$(read_ours)
    READ_ROWS=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line")
    o+=("$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$line")")
  done
  PSQL_READ_MS=$(printf '%s\n' "${p[@]}" | median)
  OUR_READ_MS=$(printf '%s\n' "${o[@]}" | median)
}

# The plan's nodes in order, chunk names folded: "Custom Scan (ChunkAppend) on price_data; 53 x Index Scan using
# "N_price_data_pkey" on <chunk>; ..." (a hypertable's plan repeats the same nodes for every chunk).
plan_summary() {
  grep -E 'Scan|Sort|Filter' "$1" | grep -v 'Rows Removed' | sed -E 's/^[ ->]*//; s/  \(cost.*//; s/  \(actual.*//;
      s/compress_hyper_[0-9]+_[0-9]+_chunk/<compressed chunk>/g; s/_hyper_[0-9]+_[0-9]+_chunk/<chunk>/g; s/"[0-9]+_/"N_/g;
      s/Memory: [0-9]+kB/Memory: NkB/; s/^((Vectorized )?Filter): .*current_setting.*/\1 on current_setting() values/; s/^((Vectorized )?Filter): .*/\1 (see the plan file)/' |
    awk '{ if (!($0 in n)) order[++k] = $0; n[$0]++ } END { for (i = 1; i <= k; i++) printf "%s%s%s", (i > 1 ? "; " : ""), (n[order[i]] > 1 ? n[order[i]] " x " : ""), order[i] }'
}
