#!/usr/bin/env bash
# Runs every made0 test: installs what is missing, builds, then runs ctest's unit tests (no
# servers), integration tests (real servers started by scripts/stack.sh in the build tree, on free
# ports, beside any running `up`) and end-to-end tests (the whole stack and a headless Chromium),
# then the unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh -L unit         # extra arguments go to ctest (the sanitizer pass is skipped)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${MADE0_BUILD_DIR:-$ROOT/build}

"$ROOT/scripts/setup.sh"
# shellcheck source=lib/node.sh
source "$ROOT/scripts/lib/node.sh"
use_project_node "$ROOT"
"$ROOT/scripts/build.sh"

cd "$BUILD_DIR"
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure "$@"
fi
ctest --output-on-failure -j "$(nproc)" -L unit

# The sanitizer build (only the unit tests run there, so only they are built) runs at the lowest
# priority while the integration and end-to-end tests run, which mostly wait on servers: it takes
# the idle CPU, and the tests still get a core whenever they want one.
ASAN_DIR=$ROOT/build-asan
ASAN_LOG=$BUILD_DIR/asan-build.log
asan_build() {
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
  cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DMADE0_SANITIZE=address,undefined >/dev/null
  local unit_targets
  mapfile -t unit_targets < <(cd "$ASAN_DIR" && ctest -N -L unit -E '^web_unit$' |
    awk '/Test +#/ {print $3}')
  cmake --build "$ASAN_DIR" -j "$(nproc)" --target "${unit_targets[@]}"
}
ASAN_PID=""
if [ "${MADE0_SKIP_SANITIZERS:-0}" != 1 ]; then
  # In its own session (its PID is its process group's), so an early exit stops all of it.
  ROOT=$ROOT ASAN_DIR=$ASAN_DIR setsid nice -n 19 bash -c "set -euo pipefail; $(declare -f asan_build); asan_build" \
    >"$ASAN_LOG" 2>&1 </dev/null &
  ASAN_PID=$!
  trap '[ -n "$ASAN_PID" ] && kill -- -"$ASAN_PID" 2>/dev/null; true' EXIT
fi

ctest --output-on-failure -L 'integration|e2e'

if [ -n "$ASAN_PID" ]; then
  echo "test: unit tests under address,undefined sanitizers" >&2
  if ! wait "$ASAN_PID"; then
    ASAN_PID=""
    tail -n 50 "$ASAN_LOG" >&2
    echo "test: the sanitizer build failed (all of it in $ASAN_LOG)" >&2
    exit 1
  fi
  ASAN_PID=""
  cd "$ASAN_DIR"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$(nproc)" -L unit -E '^web_unit$'
fi
