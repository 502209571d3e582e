#!/usr/bin/env bash
# Installs what made0 needs on a Debian 12 machine and is missing: build tools, the C++ libraries,
# the servers of the local stack and the browser for end-to-end tests. Idempotent: a second run
# installs nothing. Front-end (npm) packages are installed by scripts/build.sh.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang-format git curl ca-certificates
  # C++ libraries (ARCHITECTURE.md, "Chosen dependencies")
  libboost-dev libboost-program-options-dev libpqxx-dev libhiredis-dev librabbitmq-dev
  libmongoc-dev libbson-dev nlohmann-json3-dev libspdlog-dev libssl-dev libargon2-dev
  libcurl4-openssl-dev prometheus-cpp-dev libyaml-cpp-dev libcli11-dev libtinyxml2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # local stack
  postgresql postgresql-contrib redis-server redis-tools rabbitmq-server amqp-tools
  python3-aiosmtpd etcd-server etcd-client
  # tests and benchmarks
  chromium wrk nginx-light procps iproute2
)

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2

  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js 20.19 or newer (scripts/lib/node.sh): the machine's if it is new enough; otherwise
# Debian's nodejs and npm, and that npm installs Node 20 into .tools/node.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# shellcheck source=lib/node.sh
source "$(dirname "$0")/lib/node.sh"
if ! node_new_enough; then
  ROOT=$(cd "$(dirname "$0")/.." && pwd)
  install_project_node "$ROOT"
  use_project_node "$ROOT"
  node_new_enough || { echo "setup: no Node.js 20.19 or newer after installing it" >&2; exit 1; }
fi
