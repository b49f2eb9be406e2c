#!/usr/bin/env bash
# Measures chunk count, rows per chunk, import time and one-year read time per TSDB_CHUNK_INTERVAL (CHUNK_INTERVAL.md).
# usage: measure.sh KTRDR_DLL DATA_DIR LABEL SERIES_TF INTERVAL_DAYS...   (DB_* from './ktrdr pg env'; the role needs CREATEDB)
set -euo pipefail
dll=$1 data=$2 label=$3 tf=$4; shift 4
export PGPASSWORD=$DB_PASSWORD
q() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
read_times() { # db symbol timeframe: median planning and execution (ms) of 5 one-year reads after 2 warm-ups
  local sql="EXPLAIN (ANALYZE) SELECT time,open,high,low,close,volume FROM price_data WHERE symbol='$2' AND timeframe='$3' AND time >= '2024-07-01' AND time < '2025-07-01' ORDER BY time"
  local out; out=$(for i in 1 2 3 4 5 6 7; do q "$1" "$sql"; done | grep -E 'Planning Time|Execution Time' | tail -n 10)
  printf '%s / %s' "$(grep Planning <<<"$out" | awk '{print $3}' | median)" "$(grep Execution <<<"$out" | awk '{print $3}' | median)"
}
for days in "$@"; do
  db="chunkm_${label}_${days}d"
  q postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)"; q postgres "CREATE DATABASE $db"
  start=$(date +%s.%N)
  DB_NAME=$db TSDB_CHUNK_INTERVAL="$days.00:00:00" KTRDR_LOG_LEVEL=Warning dotnet "$dll" migrate --data-dir "$data" --yes --report-dir "/tmp/chunkm-report-$db" >/tmp/chunkm-$db.log 2>&1 \
    || { echo "migrate failed for $db (/tmp/chunkm-$db.log)"; exit 1; }
  took=$(echo "$(date +%s.%N) - $start" | bc)
  q "$db" "ANALYZE price_data"
  shape=$(q "$db" "SELECT count(*) || ' | ' || (SELECT count(*) FROM price_data) / count(*) || ' | ' || max(c.reltuples)::bigint FROM show_chunks('price_data') s JOIN pg_class c ON c.oid = s")
  size=$(q "$db" "SELECT pg_size_pretty(hypertable_size('price_data'))")
  plain_1d=$(read_times "$db" AAPL 1d); plain_tf=$(read_times "$db" AAPL "$tf")
  q "$db" "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('price_data') c" >/dev/null
  q "$db" "ANALYZE price_data"
  comp_1d=$(read_times "$db" AAPL 1d); comp_tf=$(read_times "$db" AAPL "$tf")
  csize=$(q "$db" "SELECT pg_size_pretty(after_compression_total_bytes) FROM hypertable_compression_stats('price_data')")
  printf '| %s | %sd | %s | %.1f s | %s | %s | %s | %s | %s → %s |\n' "$label" "$days" "$shape" "$took" "$plain_1d" "$plain_tf" "$comp_1d" "$comp_tf" "$size" "$csize"
  q postgres "DROP DATABASE $db WITH (FORCE)"
done
