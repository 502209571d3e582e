# shellcheck shell=bash
# RabbitMQ 3.10 for the local stack (sourced by scripts/stack.sh), run as root straight from
# /usr/lib/rabbitmq/bin (the /usr/sbin wrappers would `su rabbitmq` and log to /var/log). Each
# stack has its own nodename, HOME (hence Erlang cookie), epmd on its own port, and dist port, all
# on 127.0.0.1, so two stacks run side by side (FEASIBILITY.md 3).
#
#   rabbit_start; rabbit_is_running; rabbit_stop
#
# Uses STACK_DIR, AMQP_PORT, RABBIT_DIST_PORT, RABBIT_EPMD_PORT and RABBIT_NODENAME.

readonly RABBIT_BIN=/usr/lib/rabbitmq/bin

rabbit_home() { printf '%s/rabbit' "$STACK_DIR"; }
rabbit_log() { printf '%s/rabbit/log/rabbit.log' "$STACK_DIR"; }
rabbit_out() { printf '%s/rabbit/server.out' "$STACK_DIR"; }
# The rabbitmq-server shell wrapper (forwards SIGTERM to the VM) and the Erlang VM itself.
rabbit_wrapper_pid() { pidfile_alive "$(rabbit_home)/wrapper.pid" rabbitmq-server; }
rabbit_vm_pid() { pidfile_alive "$(rabbit_home)/rabbit.pid" beam; }
rabbit_epmd_pid() { pidfile_alive "$(rabbit_home)/epmd.pid" epmd; }
rabbit_is_running() { rabbit_wrapper_pid >/dev/null || rabbit_vm_pid >/dev/null; }

# The environment of every RabbitMQ program of this stack, as VAR=value words for env(1).
rabbit_env() {
  local home
  home=$(rabbit_home)
  RABBIT_ENV=(HOME="$home/home" RABBITMQ_CONF_ENV_FILE="$home/rabbitmq-env.conf"
    RABBITMQ_NODENAME="$RABBIT_NODENAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$RABBIT_EPMD_PORT"
    RABBITMQ_MNESIA_BASE="$home/mnesia" RABBITMQ_LOG_BASE="$home/log"
    RABBITMQ_LOGS="$(rabbit_log)" RABBITMQ_PID_FILE="$home/rabbit.pid"
    RABBITMQ_ENABLED_PLUGINS_FILE="$home/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$home/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$home/advanced.config"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_CRASH_DUMP="$home/erl_crash.dump" PATH="$RABBIT_BIN:$PATH")
}

rabbit_ctl() {
  rabbit_env
  env "${RABBIT_ENV[@]}" "$RABBIT_BIN/rabbitmqctl" "$@" 9>&-
}

# The node shows up in epmd early in its boot. Polling that (a tiny C program) before calling
# rabbitmqctl (a whole Erlang VM per call, which exits at once while the node is not registered)
# keeps the polling from stealing CPU from the booting broker.
rabbit_registered() {
  /usr/bin/epmd -port "$RABBIT_EPMD_PORT" -names 2>/dev/null | grep -q "^name ${RABBIT_NODENAME%@*} "
}

rabbit_prepare() {
  local home
  home=$(rabbit_home)
  mkdir -p "$home/home" "$home/log" "$home/mnesia"
  chmod 700 "$home/home"
  : >"$home/rabbitmq-env.conf" # so /etc/rabbitmq/rabbitmq-env.conf is not read
  [[ -f $home/enabled_plugins ]] || echo '[].' >"$home/enabled_plugins"
  [[ -f $home/rabbitmq.conf ]] || cat >"$home/rabbitmq.conf" <<'EOF'
# made0 local stack: ports and addresses come from the environment (scripts/lib/stack_rabbit.sh).
log.console = false
log.file.level = info
EOF
}

# epmd is started here rather than by the VM so that its PID is known and `stop` can end it.
rabbit_start_epmd() {
  rabbit_epmd_pid >/dev/null && return 0
  port_free "$RABBIT_EPMD_PORT" || return "$E_PORT_IN_USE"
  spawn "$(rabbit_home)/epmd.pid" "$(rabbit_home)/epmd.log" \
    /usr/bin/epmd -address 127.0.0.1 -port "$RABBIT_EPMD_PORT"
  wait_until 5 "$(rabbit_home)/epmd.pid" tcp_open "$RABBIT_EPMD_PORT" || {
    log_tail "$(rabbit_home)/epmd.log"
    return 1
  }
}

rabbit_start() {
  local home offset_out offset_log rc=0
  home=$(rabbit_home)
  rabbit_prepare
  port_free "$AMQP_PORT" && port_free "$RABBIT_DIST_PORT" || return "$E_PORT_IN_USE"
  rabbit_start_epmd || return
  offset_out=$(log_offset "$(rabbit_out)")
  offset_log=$(log_offset "$(rabbit_log)")
  rm -f "$home/rabbit.pid"
  rabbit_env
  (cd "$home" && spawn "$home/wrapper.pid" "$(rabbit_out)" env "${RABBIT_ENV[@]}" \
    "$RABBIT_BIN/rabbitmq-server")
  wait_until 60 "$home/wrapper.pid" rabbit_registered &&
    wait_until 60 "$home/wrapper.pid" rabbit_ctl -q await_startup --timeout 60 &&
    wait_until 10 "$home/wrapper.pid" tcp_open "$AMQP_PORT" || rc=1
  if ((rc != 0)); then
    if log_has_addr_in_use "$(rabbit_out)" "$offset_out" ||
      log_has_addr_in_use "$(rabbit_log)" "$offset_log"; then
      rabbit_stop
      return "$E_PORT_IN_USE"
    fi
    log_tail "$(rabbit_out)" "$offset_out" 15
    log_tail "$(rabbit_log)" "$offset_log" 15
    return 1
  fi
}

# SIGTERM to the VM is a clean shutdown (as `rabbitmqctl shutdown`); then epmd, which would
# otherwise outlive the broker.
rabbit_stop() {
  local pids=() pid
  pid=$(rabbit_vm_pid) && pids+=("$pid")
  pid=$(rabbit_wrapper_pid) && pids+=("$pid")
  stop_pids TERM 30 "${pids[@]}"
  pid=$(rabbit_epmd_pid) && stop_pids TERM 5 "$pid"
  return 0
}
