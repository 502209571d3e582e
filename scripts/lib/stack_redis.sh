# shellcheck shell=bash
# Redis for the local stack (sourced by scripts/stack.sh): no persistence (--save '',
# --appendonly no), loopback only.
#
#   redis_start; redis_is_running; redis_stop
#
# Uses STACK_DIR and REDIS_PORT.

redis_home() { printf '%s/redis' "$STACK_DIR"; }
redis_log() { printf '%s/redis/redis.log' "$STACK_DIR"; }
redis_pid() { pidfile_alive "$(redis_home)/redis.pid" redis-server; }
redis_is_running() { redis_pid >/dev/null; }

redis_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
  local home offset
  home=$(redis_home)
  mkdir -p "$home"
  port_free "$REDIS_PORT" || return "$E_PORT_IN_USE"
  offset=$(log_offset "$(redis_log)")
  spawn "$home/redis.pid" "$(redis_log)" /usr/bin/redis-server --bind 127.0.0.1 \
    --port "$REDIS_PORT" --save '' --appendonly no --dir "$home" --daemonize no
  if ! wait_until 10 "$home/redis.pid" redis_ready; then
    log_has_addr_in_use "$(redis_log)" "$offset" && return "$E_PORT_IN_USE"
    log_tail "$(redis_log)" "$offset"
    return 1
  fi
}

redis_stop() {
  local pid
  pid=$(redis_pid) || return 0
  stop_pids TERM 10 "$pid"
}
