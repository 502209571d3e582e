#!/usr/bin/env bash
# Starts and stops made0's services against a running stack (scripts/stack.sh).
#
#   scripts/services.sh start --stack DIR --dir RUN_DIR [--frontend-port 3000] [--build BUILD_DIR]
#   scripts/services.sh stop --dir RUN_DIR [--keep-instances]
#
# Each service runs with the stack's environment (DIR/stack.env), logs JSON lines to
# RUN_DIR/logs/<name>.log and records its PID in RUN_DIR/pids/<name>.pid. `start` waits until
# every service answers /readyz. `stop` sends SIGTERM (graceful shutdown) and waits, by PID; then,
# unless --keep-instances, it stops the local cloud's instances too (the processes hostd started,
# recorded by PID and start time in RUN_DIR/hostd/state), since they outlive hostd by design.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

cmd=${1:-}; shift || true
STACK="" RUN="" PORT=3000 BUILD=${MADE0_BUILD_DIR:-$ROOT/build} KEEP_INSTANCES=0
while [ $# -gt 0 ]; do
  case $1 in
    --stack) STACK=$(realpath -m "$2"); shift 2 ;;
    --dir) RUN=$(realpath -m "$2"); shift 2 ;;
    --frontend-port) PORT=$2; shift 2 ;;
    --build) BUILD=$(realpath -m "$2"); shift 2 ;;
    --keep-instances) KEEP_INSTANCES=1; shift ;;
    *) echo "services.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$RUN" ] || { echo "services.sh: --dir is required" >&2; exit 2; }

# The order matters for start (dependencies first) and is reversed for stop.
SERVICES=(users verification hostd infra frontend)

binary() { echo "$BUILD/services/$1/made0-$1"; }

port_of() {  # the port its current process logged in its "serving" line; empty before that
  awk '/services.sh: starting/ {line = ""} /"msg":"serving"/ {line = $0} END {print line}' \
    "$RUN/logs/$1.log" 2>/dev/null | { grep -o '"port":[0-9]*' || true; } | cut -d: -f2
}

# alive NAME: its process exists and is not a zombie (a killed process whose parent is gone is a
# zombie until init reaps it).
alive() {
  local pid
  [ -f "$RUN/pids/$1.pid" ] || return 1
  pid=$(cat "$RUN/pids/$1.pid")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

start_one() {
  local name=$1
  if alive "$name"; then return; fi
  local -a env_args=()
  while IFS= read -r line; do [ -n "$line" ] && env_args+=("$line"); done < "$STACK/stack.env"
  local extra=()
  case $name in
    frontend) extra=(MADE0_HTTP_PORT="$PORT") ;;
    hostd) extra=(MADE0_HOSTD_DATA_DIR="$RUN/hostd") ;;
  esac
  echo "{\"msg\":\"services.sh: starting $name\"}" >> "$RUN/logs/$name.log"
  env "${env_args[@]}" MADE0_CONSOLE_URL="http://127.0.0.1:$PORT" \
    MADE0_WEB_DIR="$ROOT/services/frontend/web/dist" "${extra[@]}" \
    "$(binary "$name")" >> "$RUN/logs/$name.log" 2>&1 &
  echo $! > "$RUN/pids/$name.pid"
}

wait_ready() {
  local name=$1 port=""
  for _ in $(seq 1 300); do
    alive "$name" || { echo "services.sh: $name exited; last log lines:" >&2;
                       tail -20 "$RUN/logs/$name.log" >&2; return 1; }
    port=$(port_of "$name")
    if [ -n "$port" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; then return 0; fi
    sleep 0.1
  done
  echo "services.sh: $name not ready after 30 s; last log lines:" >&2
  tail -20 "$RUN/logs/$name.log" >&2
  return 1
}

stop_one() {
  local name=$1 pid
  [ -f "$RUN/pids/$name.pid" ] || return 0
  pid=$(cat "$RUN/pids/$name.pid")
  if alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do alive "$name" || break; sleep 0.1; done
    if alive "$name"; then
      echo "services.sh: $name did not stop in 15 s; killing" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/pids/$name.pid"
}

# stop_instances: SIGTERM to each live instance's process group, SIGKILL after 10 s. An instance
# counts only if its PID still has the start time hostd recorded, so a reused PID is left alone.
stop_instances() {
  local f pid ticks pids=()
  for f in "$RUN"/hostd/state/i-*.json; do
    [ -f "$f" ] || continue
    pid=$(grep -o '"pid": *[0-9]*' "$f" | grep -o '[0-9]*$')
    ticks=$(grep -o '"start_ticks": *[0-9]*' "$f" | grep -o '[0-9]*$')
    [ -n "$pid" ] && [ "$pid" -gt 0 ] || continue
    [ "$(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null)" = "$ticks" ] || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  echo "services.sh: stopping ${#pids[@]} local instance(s)" >&2
  for _ in $(seq 1 100); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case $cmd in
  start)
    [ -f "$STACK/stack.env" ] || { echo "services.sh: no $STACK/stack.env (start the stack)" >&2; exit 2; }
    mkdir -p "$RUN/logs" "$RUN/pids"
    # --frontend-port 0: a free port, chosen now because mailed links must name it.
    if [ "$PORT" = 0 ]; then PORT=$(free_port); fi
    for s in "${SERVICES[@]}"; do start_one "$s"; done
    for s in "${SERVICES[@]}"; do wait_ready "$s"; done
    echo "http://127.0.0.1:$(port_of frontend)" > "$RUN/console.url"
    ;;
  stop)
    for ((i=${#SERVICES[@]}-1; i>=0; i--)); do stop_one "${SERVICES[$i]}"; done
    if [ $KEEP_INSTANCES = 0 ]; then stop_instances; fi
    ;;
  *) echo "usage: services.sh start|stop --dir RUN_DIR [--stack DIR]" >&2; exit 2 ;;
esac
