#!/usr/bin/env bash
# Stop a server started by start.sh:  tools/timescale/stop.sh PID
# Sends SIGTERM, waits up to 10 s, then SIGKILL.
set -uo pipefail
PID="${1:-}"
if [[ -z "$PID" || ! "$PID" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PID" >&2
  exit 2
fi
kill -0 "$PID" 2>/dev/null || { echo "stop.sh: no process $PID" >&2; exit 0; }
kill -TERM "$PID"
for _ in $(seq 1 50); do
  kill -0 "$PID" 2>/dev/null || exit 0
  sleep 0.2
done
echo "stop.sh: $PID did not exit after SIGTERM; sending SIGKILL" >&2
kill -KILL "$PID" 2>/dev/null || true
