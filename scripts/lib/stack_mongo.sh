# shellcheck shell=bash
# MongoDB-wire stand-in for the local stack (sourced by scripts/stack.sh): scripts/mongo/server.mjs
# (CongoServer from @push.rocks/smartmongo 2.2.0), installed on first use by scripts/mongo/install.sh
# into MADE0_TOOLS_DIR (default <repo>/.tools/mongo). Data persist in DIR/mongo/data.
#
#   mongo_start; mongo_is_running; mongo_stop
#
# Uses STACK_DIR, MONGO_PORT and STACK_REPO.

mongo_home() { printf '%s/mongo' "$STACK_DIR"; }
mongo_log() { printf '%s/mongo/mongo.log' "$STACK_DIR"; }
mongo_tools() { printf '%s' "${MADE0_TOOLS_DIR:-$STACK_REPO/.tools/mongo}"; }
mongo_pid() { pidfile_alive "$(mongo_home)/mongo.pid" scripts/mongo/server.mjs; }
mongo_is_running() { mongo_pid >/dev/null; }

# The ping costs a node start-up (~0.2 s), so it waits for the port to open first.
mongo_ready() {
  tcp_open "$MONGO_PORT" && node "$STACK_REPO/scripts/mongo/ping.mjs" "$MONGO_PORT" "$(mongo_tools)"
}

mongo_start() {
  local home offset
  home=$(mongo_home)
  mkdir -p "$home"
  command -v node >/dev/null || {
    warn "mongo: node not found"
    return 1
  }
  # install.sh returns at once when the pinned version is already there.
  MADE0_TOOLS_DIR=$(mongo_tools) "$STACK_REPO/scripts/mongo/install.sh" 9>&- || {
    warn "mongo: scripts/mongo/install.sh failed"
    return 1
  }
  port_free "$MONGO_PORT" || return "$E_PORT_IN_USE"
  offset=$(log_offset "$(mongo_log)")
  spawn "$home/mongo.pid" "$(mongo_log)" node "$STACK_REPO/scripts/mongo/server.mjs" \
    --host 127.0.0.1 --port "$MONGO_PORT" --data "$home/data" --tools "$(mongo_tools)"
  if ! wait_until 15 "$home/mongo.pid" mongo_ready; then
    log_has_addr_in_use "$(mongo_log)" "$offset" && return "$E_PORT_IN_USE"
    log_tail "$(mongo_log)" "$offset"
    return 1
  fi
}

# SIGTERM makes server.mjs close its clients and write its last snapshot.
mongo_stop() {
  local pid
  pid=$(mongo_pid) || return 0
  stop_pids TERM 10 "$pid"
}
