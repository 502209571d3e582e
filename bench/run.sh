#!/usr/bin/env bash
# Runs made0's benchmarks on this machine and prints each figure with its reference ratio:
#   1. sign-ups/s end to end vs argon2id hashes/s (same parameters, same run), offered at the
#      hash rate (capacity), three runs of four phases each, each with where the CPU went (per
#      service and server, and users' argon2id CPU per hash beside the same hash alone); then the
#      latency at half that load
#   2. GET /healthz on the frontend vs nginx answering a fixed 200 (wrk, same connections/threads)
#   3. GET /api/me p99 at 1,000 requests/s (reference: /healthz at the same rate)
#   4. resident memory of each service, idle and after each sign-up run, over repeated runs
# Everything runs on 127.0.0.1 with its own stack and services under build/bench/, from the
# optimised (RelWithDebInfo, -O2) build that scripts/build.sh makes.
#
#   bench/run.sh [seconds-per-signup-phase=10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MADE0_BUILD_DIR:-$ROOT/build}
STACK=$BUILD/bench/stack
RUN=$BUILD/bench/services
SECONDS_SIGNUP=${1:-10}

MADE0_BUILD_DIR=$BUILD "$ROOT/scripts/build.sh" >/dev/null
cleanup() {
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true
  "$ROOT/scripts/services.sh" stop --dir "$RUN" || true
  "$ROOT/scripts/stack.sh" stop --dir "$STACK" >/dev/null || true
}
trap cleanup EXIT
"$ROOT/scripts/stack.sh" start --dir "$STACK" >/dev/null
"$ROOT/scripts/services.sh" start --stack "$STACK" --dir "$RUN" --frontend-port 0 --build "$BUILD"
URL=$(cat "$RUN/console.url")
MAILDIR=$(grep '^MADE0_MAILDIR=' "$STACK/stack.env" | cut -d= -f2-)

rss() {  # rss NAME: resident set size in MiB
  awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$(cat "$RUN/pids/$1.pid")/status"
}
memory() {
  printf '%-10s' "$1"
  for s in frontend users verification; do printf '  %s %6s MiB' "$s" "$(rss "$s")"; done
  echo
}

echo "== memory (resident), idle"
memory idle

echo "== 1. sign-ups end to end vs argon2id, offered at the hash rate"
for i in 1 2 3; do
  MADE0_SERVICES_DIR=$RUN MADE0_STACK_DIR=$STACK \
    "$BUILD/bench/signup_bench" "$URL" "$MAILDIR" "$SECONDS_SIGNUP" 1 4 ||
    echo "signup_bench: some sign-ups were not mailed"
  memory "after run $i"
done
echo "== 1b. sign-up latency offered at half the hash rate"
"$BUILD/bench/signup_bench" "$URL" "$MAILDIR" 10 0.5 1 || echo "signup_bench: some sign-ups were not mailed"

echo "== 2. GET /healthz: frontend vs nginx (wrk -t2 -c64 -d10s), each with one and with two threads"
NGINX_DIR=$BUILD/bench/nginx
mkdir -p "$NGINX_DIR/logs"
NGINX_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes WORKERS;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok\n"; } }
}
CONF
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
rate() { wrk -t2 -c64 -d10s "$1" | awk '/Requests\/sec/ {print $2}'; }
for W in 1 2; do
  sed "s/WORKERS/$W/" "$NGINX_DIR/nginx.conf" > "$NGINX_DIR/nginx-$W.conf"
  nginx -c "$NGINX_DIR/nginx-$W.conf" -p "$NGINX_DIR" &
  NGINX_PID=$!
  # A frontend with as many I/O threads as nginx has workers, beside the running services.
  FPORT=$(free_port)
  (set -a; . "$STACK/stack.env"; set +a; MADE0_HTTP_IO_THREADS=$W MADE0_HTTP_PORT=$FPORT \
     exec "$BUILD/services/frontend/made0-frontend" > "$BUILD/bench/frontend-$W.log" 2>&1) &
  FRONT_PID=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$FPORT/healthz" && break; sleep 0.1; done
  N=$(rate "http://127.0.0.1:$NGINX_PORT/healthz")
  F=$(rate "http://127.0.0.1:$FPORT/healthz")
  kill "$NGINX_PID" "$FRONT_PID"; wait "$NGINX_PID" "$FRONT_PID" 2>/dev/null || true
  NGINX_PID=""
  echo "$W thread(s): nginx ${N} req/s, frontend ${F} req/s"
  awk -v f="$F" -v n="$N" -v w="$W" \
    'BEGIN {printf "RATIO frontend/nginx with %d thread(s) = %.2f (target >= 0.50)\n", w, f/n}'
done

echo "== 3. GET /api/me at 1,000 requests/s"
"$BUILD/bench/api_latency_bench" "$URL" "$MAILDIR" 1000 10 || echo "api_latency_bench: errors"
memory "end"
