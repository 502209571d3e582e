#!/usr/bin/env bash
# Installs the MongoDB-wire stand-in used by scripts/stack.sh: the CongoServer part (dist_ts/congodb)
# of @push.rocks/smartmongo, plus its runtime deps pinned by package-lock.json beside this script.
# Only that part is used because the full package does not install from the npm mirror (see
# /work/shared/FEASIBILITY.md section 5).
#
#   scripts/mongo/install.sh            # into $MADE0_TOOLS_DIR or <repo>/.tools/mongo
#   scripts/mongo/install.sh --force    # reinstall
#
# Idempotent: a stamp records what was installed; a second run with the same pins returns at once.
set -euo pipefail

readonly SMARTMONGO_VERSION=2.2.0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TOOLS=${MADE0_TOOLS_DIR:-$REPO/.tools/mongo}

force=0
[[ ${1:-} == --force ]] && force=1

# The stamp covers everything that decides the install's content, so changing a pin reinstalls.
want_stamp() {
  {
    echo "smartmongo=$SMARTMONGO_VERSION"
    cat "$HERE/package.json" "$HERE/package-lock.json"
  } | sha256sum | cut -d' ' -f1
}

stamp=$(want_stamp)
installed() {
  [[ -f $TOOLS/.stamp && $(cat "$TOOLS/.stamp") == "$stamp" && -f $TOOLS/smartmongo/congodb/index.js ]]
}
((force == 0)) && installed && exit 0

mkdir -p "$TOOLS"
# Two stacks starting side by side may both find the stand-in missing: one installs, one waits.
exec 8>"$TOOLS/.lock"
flock -w 300 8 || { echo "install.sh: $TOOLS/.lock is held by another install" >&2; exit 1; }
((force == 0)) && installed && exit 0

command -v npm >/dev/null || { echo "install.sh: npm not found (apt-get install npm)" >&2; exit 1; }
echo "mongo stand-in: installing @push.rocks/smartmongo@$SMARTMONGO_VERSION congodb into $TOOLS"
work=$(mktemp -d "$TOOLS/.install.XXXXXX")
trap 'rm -rf "$work"' EXIT

(
  cd "$work"
  npm pack --silent "@push.rocks/smartmongo@$SMARTMONGO_VERSION" >/dev/null
  tar -xzf "push.rocks-smartmongo-$SMARTMONGO_VERSION.tgz"
  mkdir -p stage/smartmongo
  cp -r package/dist_ts/congodb stage/smartmongo/congodb
  cp package/license stage/smartmongo/LICENSE
  cp "$HERE/package.json" "$HERE/package-lock.json" stage/
  cd stage
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
)

# Swap in the new tree only when it is complete, so a failed install leaves the old one usable.
rm -rf "$TOOLS/smartmongo" "$TOOLS/node_modules"
mv "$work/stage/smartmongo" "$work/stage/node_modules" "$TOOLS/"
cp "$HERE/package.json" "$HERE/package-lock.json" "$TOOLS/"
echo "$stamp" >"$TOOLS/.stamp"
echo "mongo stand-in: installed"
