#!/usr/bin/env bash
# Infrastructure benchmarks (issue 3), each beside a reference measured in the same run:
#   1. saga transitions persisted per second with no-op steps, vs pgbench single-row INSERT
#      transactions on the same PostgreSQL (same server, same durability settings, same number
#      of clients); and the engine's overhead per step vs calling the handler directly;
#   2. IPAM allocations per second with 8 concurrent clients, vs pgbench with 8 clients;
#   3. resident memory of infra and hostd, idle and with 100 test-image instances running.
# Everything runs on 127.0.0.1 with its own stack and services under build/bench/.
#
#   bench/infra.sh [seconds=10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${MADE0_BUILD_DIR:-$ROOT/build}
STACK=$BUILD/bench/infra-stack
RUN=$BUILD/bench/infra-services
SECS=${1:-10}

MADE0_BUILD_DIR=$BUILD "$ROOT/scripts/build.sh" >/dev/null
cleanup() {
  "$ROOT/scripts/services.sh" stop --dir "$RUN" >/dev/null 2>&1 || true
  "$ROOT/scripts/stack.sh" stop --dir "$STACK" >/dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$STACK" "$RUN"  # a fresh stack: nothing left from an earlier run is measured
"$ROOT/scripts/stack.sh" start --dir "$STACK" >/dev/null
PG_URL=$(grep '^MADE0_PG_URL=' "$STACK/stack.env" | cut -d= -f2-)
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)

pgbench_inserts() {  # pgbench_inserts CLIENTS: single-row INSERT transactions per second
  psql -X -q "$PG_URL" -c 'DROP TABLE IF EXISTS bench_insert' \
    -c 'CREATE TABLE bench_insert (id bigserial PRIMARY KEY, v int)'
  echo 'INSERT INTO bench_insert (v) VALUES (1);' >"$STACK/insert.sql"
  "$PGBENCH" -n -f "$STACK/insert.sql" -c "$1" -j "$1" -T "$SECS" "$PG_URL" 2>/dev/null |
    awk '/^tps/ {printf "%.0f", $3}'
}
echo "PostgreSQL: $(psql -X -At "$PG_URL" -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit')")"

echo "== 1. saga transitions vs pgbench (4 clients, ${SECS}s each)"
PGB4=$(pgbench_inserts 4)
SAGA_OUT=$("$BUILD/bench/saga_bench" "$PG_URL" "$SECS" 4)
TPS=$(awk '/^transitions_per_second/ {print $2}' <<<"$SAGA_OUT")
echo "pgbench single-row INSERT: $PGB4 tx/s"
echo "$SAGA_OUT"
awk -v s="$TPS" -v p="$PGB4" 'BEGIN {printf "ratio saga transitions / pgbench inserts: %.2f (target >= 0.5; >= 1000/s: %s)\n", s / p, (s >= 1000 ? "yes" : "no")}'

echo "== 2. IPAM allocations, 8 clients, vs pgbench (8 clients, ${SECS}s each)"
PGB8=$(pgbench_inserts 8)
IPAM_OUT=$("$BUILD/bench/ipam_bench" "$PG_URL" "$SECS" 8)
APS=$(awk '/^allocations_per_second/ {print $2}' <<<"$IPAM_OUT")
echo "pgbench single-row INSERT: $PGB8 tx/s"
echo "$IPAM_OUT"
awk -v a="$APS" -v p="$PGB8" 'BEGIN {printf "ratio IPAM allocations / pgbench inserts: %.2f\n", a / p}'

echo "== 3. memory of infra and hostd, idle and with 100 test-image instances"
"$ROOT/scripts/services.sh" start --stack "$STACK" --dir "$RUN" --frontend-port 0 --build "$BUILD"
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$(cat "$RUN/pids/$1.pid")/status"; }
port() { grep -o '"msg":"serving".*"port":[0-9]*' "$RUN/logs/$1.log" | tail -1 | grep -o '[0-9]*$'; }
INFRA=http://127.0.0.1:$(port infra)
sleep 2
echo "idle:               infra $(rss infra) MiB  hostd $(rss hostd) MiB"
start=$(date +%s.%N)
seq 1 100 | xargs -P 4 -I{} curl -sf -o /dev/null -X POST "$INFRA/v1/instances" \
  -H 'Content-Type: application/json' \
  -d '{"owner":"bench","cluster":"bench{}","region":"us-east-1"}'
for _ in $(seq 1 600); do
  n=$(curl -sf "$INFRA/v1/instances?owner=bench" | { grep -o '"state":"running"' || true; } | wc -l)
  [ "$n" -ge 100 ] && break
  sleep 0.2
done
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
echo "100 instances running after ${took}s (CreateInstance sagas, 4 at a time)"
sleep 2
echo "with 100 instances: infra $(rss infra) MiB  hostd $(rss hostd) MiB (target < 64 MiB each)"
