# shellcheck shell=bash
# The Node.js that made0's scripts run (the console's build with Vite 8, the MongoDB-wire
# stand-in, the browser tests): the machine's own if it is 20.19 or newer, otherwise the official
# Node 20 binary for linux-x64 or linux-arm64 that scripts/setup.sh installs into .tools/node from
# the npm registry, pinned by scripts/node/package-lock.json (Debian 12's nodejs is 18).
#
#   source scripts/lib/node.sh
#   node_new_enough || install_project_node "$ROOT"   # scripts/setup.sh
#   use_project_node "$ROOT"                           # every script that runs node or npm

# project_node_arch: the npm package's name for this machine's CPU (node-linux-<arch>).
project_node_arch() {
  case $(uname -m) in
    x86_64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) return 1 ;;
  esac
}

project_node_bin() {
  printf '%s/.tools/node/node_modules/node-linux-%s/bin' "$1" "$(project_node_arch || echo none)"
}

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
  local src=$1/scripts/node dir=$1/.tools/node arch
  arch=$(project_node_arch) || {
    echo "setup: no Node.js 20 package for $(uname -m) here; install Node.js 20.19 or newer and run again" >&2
    return 1
  }
  if [[ -x $(project_node_bin "$1")/node ]] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
    return 0
  fi
  echo "setup: installing Node.js $(sed -n "s/.*\"node-linux-$arch\": \"\(.*\)\".*/\1/p" "$src/package.json") ($arch) into $dir" >&2
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
