#!/usr/bin/env bash
# Runs made0 on this machine: installs what is missing, builds, starts the local stack
# (PostgreSQL, Redis, RabbitMQ, the MongoDB-wire stand-in, an SMTP sink) and every service, prints
# the console's URL, and stays in the foreground until Ctrl-C or SIGTERM, which stops everything
# it started.
#
#   scripts/up.sh
#   MADE0_DATA_DIR=/tmp/made0 MADE0_CONSOLE_PORT=3001 scripts/up.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(realpath -m "${MADE0_DATA_DIR:-$ROOT/.data}")
PORT=${MADE0_CONSOLE_PORT:-3000}

"$ROOT/scripts/setup.sh"
# shellcheck source=lib/node.sh
source "$ROOT/scripts/lib/node.sh"
use_project_node "$ROOT"
"$ROOT/scripts/build.sh"

stopping=0
cleanup() {
  [ $stopping = 1 ] && return
  stopping=1
  echo >&2
  echo "up: stopping services and stack..." >&2
  "$ROOT/scripts/services.sh" stop --dir "$DATA/run" || true
  "$ROOT/scripts/stack.sh" stop --dir "$DATA/stack" || true
  echo "up: stopped" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$ROOT/scripts/stack.sh" start --dir "$DATA/stack"
"$ROOT/scripts/services.sh" start --stack "$DATA/stack" --dir "$DATA/run" --frontend-port "$PORT"

maildir=$(grep '^MADE0_MAILDIR=' "$DATA/stack/stack.env" | cut -d= -f2-)
cat <<MSG

  made0 is running.

  Console:   http://127.0.0.1:$PORT
  Mail:      every mail sent lands as a file in $maildir/new
  CLI:       scripts/made0ctl get subnets; scripts/made0ctl create instance --cluster demo --region us-east-1 --wait
  Logs:      $DATA/run/logs/<service>.log
  Stack:     $DATA/stack (stack.env has the servers' URLs)

  Press Ctrl-C to stop everything.

MSG
while true; do
  for pidfile in "$DATA"/run/pids/*.pid; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      name=$(basename "$pidfile" .pid)
      echo "up: $name exited; see $DATA/run/logs/$name.log" >&2
      rm -f "$pidfile"
    fi
  done
  sleep 1
done
