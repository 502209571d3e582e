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
"$ROOT/scripts/build.sh"

cd "$BUILD_DIR"
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure "$@"
fi
ctest --output-on-failure -j "$(nproc)" -L unit
ctest --output-on-failure -L 'integration|e2e'

if [ "${MADE0_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "test: unit tests under address,undefined sanitizers" >&2
  # Only the unit tests run there, so only they are built (not the services and benchmarks).
  ASAN_DIR=$ROOT/build-asan
  export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
  cmake -S "$ROOT" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DMADE0_SANITIZE=address,undefined >/dev/null
  mapfile -t unit_targets < <(cd "$ASAN_DIR" && ctest -N -L unit -E '^web_unit$' |
    awk '/Test +#/ {print $3}')
  cmake --build "$ASAN_DIR" -j "$(nproc)" --target "${unit_targets[@]}"
  cd "$ASAN_DIR"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$(nproc)" -L unit -E '^web_unit$'
fi
