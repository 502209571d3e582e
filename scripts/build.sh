#!/usr/bin/env bash
# Builds made0: the C++ services and tests (CMake + Ninja, ccache), the console (Vite), and the
# Node packages the tests and the MongoDB stand-in need. Incremental: a second run only rebuilds
# what changed.
#
#   scripts/build.sh                      # build/ (RelWithDebInfo)
#   MADE0_BUILD_DIR=build-asan MADE0_SANITIZE=address,undefined scripts/build.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${MADE0_BUILD_DIR:-$ROOT/build}
BUILD_TYPE=${MADE0_BUILD_TYPE:-RelWithDebInfo}
JOBS=${MADE0_JOBS:-$(nproc)}
# shellcheck source=lib/node.sh
source "$ROOT/scripts/lib/node.sh"
use_project_node "$ROOT"

npm_install() {  # npm_install DIR: install exactly the lockfile, once per lockfile change
  local dir=$1 stamp=$1/node_modules/.made0-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}

echo "build: console (services/frontend/web)" >&2
npm_install "$ROOT/services/frontend/web"
(cd "$ROOT/services/frontend/web" && npm run --silent build >/dev/null)
if [ -f "$ROOT/tests/e2e/package-lock.json" ]; then npm_install "$ROOT/tests/e2e"; fi
"$ROOT/scripts/mongo/install.sh" >/dev/null

# ccache hits across checkouts (CI builds a fresh clone in another folder): paths are taken
# relative to the repository, and the working directory is left out of the hash.
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
echo "build: C++ ($BUILD_TYPE) in $BUILD_DIR" >&2
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DMADE0_SANITIZE="${MADE0_SANITIZE:-}" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
