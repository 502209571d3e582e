#!/usr/bin/env bash
# The local stack of made0: PostgreSQL, Redis, RabbitMQ, a MongoDB-wire stand-in and an SMTP sink,
# as plain processes on 127.0.0.1 with all data, logs and PID files under one directory. Used by
# developers and by ctest's `stack` fixture (cmake/made0.cmake).
#
#   scripts/stack.sh start  --dir DIR [--only pg,redis,rabbit,mongo,smtp]
#   scripts/stack.sh stop   --dir DIR [--only LIST]
#   scripts/stack.sh status --dir DIR [--only LIST]   # exit 0 if all running, 3 otherwise
#
# Ports are picked free the first time (or taken from MADE0_STACK_{PG,REDIS,AMQP,MONGO,SMTP}_PORT)
# and remembered in DIR/ports.env, so a component restarted alone comes back on the same port.
# `start` is idempotent, waits until each component answers, and writes DIR/stack.env
# (MADE0_PG_URL, MADE0_REDIS_URL, MADE0_AMQP_URL, MADE0_MONGO_URL, MADE0_SMTP_URL, MADE0_MAILDIR).
# The MongoDB stand-in is installed on first use into MADE0_TOOLS_DIR (default <repo>/.tools/mongo).
# Must run as root (CI and developer machines); PostgreSQL itself runs as user postgres.
set -euo pipefail
set +m # without job control, `setsid CMD &` execs CMD in place, so $! is the server's PID

STACK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB=$STACK_REPO/scripts/lib
# shellcheck source=lib/stack_common.sh
source "$LIB/stack_common.sh"
# shellcheck source=lib/node.sh
source "$LIB/node.sh"
use_project_node "$STACK_REPO"
for c in pg redis rabbit mongo smtp; do
  # shellcheck source=/dev/null
  source "$LIB/stack_$c.sh"
done

readonly ALL_COMPONENTS=(pg redis rabbit mongo smtp)
# Remembered settings in DIR/ports.env, and the variable that pins each from outside.
readonly STATE_KEYS=(PG_PORT REDIS_PORT AMQP_PORT RABBIT_DIST_PORT RABBIT_EPMD_PORT MONGO_PORT
  SMTP_PORT)
declare -A PIN_VAR=([PG_PORT]=MADE0_STACK_PG_PORT [REDIS_PORT]=MADE0_STACK_REDIS_PORT
  [AMQP_PORT]=MADE0_STACK_AMQP_PORT [MONGO_PORT]=MADE0_STACK_MONGO_PORT
  [SMTP_PORT]=MADE0_STACK_SMTP_PORT)
declare -A PORT_KEYS=([pg]=PG_PORT [redis]=REDIS_PORT
  [rabbit]="AMQP_PORT RABBIT_DIST_PORT RABBIT_EPMD_PORT" [mongo]=MONGO_PORT [smtp]=SMTP_PORT)
declare -A FRESH=() # ports picked by this run, which may be re-picked if someone else takes them

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  exit 2
}

parse_args() {
  ACTION=${1:-}
  [[ $ACTION == start || $ACTION == stop || $ACTION == status ]] || usage
  shift
  STACK_DIR='' ONLY=${ALL_COMPONENTS[*]}
  while (($# > 0)); do
    case $1 in
      --dir) STACK_DIR=${2:?--dir needs a value}; shift 2 ;;
      --dir=*) STACK_DIR=${1#--dir=}; shift ;;
      --only) ONLY=${2:?--only needs a value}; shift 2 ;;
      --only=*) ONLY=${1#--only=}; shift ;;
      -h | --help) usage ;;
      *) die "unknown argument: $1 (see --help)" ;;
    esac
  done
  [[ -n $STACK_DIR ]] || die "--dir DIR is required"
  SELECTED=()
  local c
  for c in ${ONLY//,/ }; do
    [[ " ${ALL_COMPONENTS[*]} " == *" $c "* ]] || die "unknown component '$c' (pg redis rabbit mongo smtp)"
    [[ " ${SELECTED[*]} " == *" $c "* ]] || SELECTED+=("$c")
  done
  ((${#SELECTED[@]} > 0)) || die "--only selects no component"
}

# ---- state: DIR/ports.env -------------------------------------------------------------------

load_state() {
  local key value
  [[ -f $STACK_DIR/ports.env ]] || return 0
  while IFS='=' read -r key value; do
    [[ " ${STATE_KEYS[*]} RABBIT_NODENAME " == *" $key "* && -n $value ]] && printf -v "$key" '%s' "$value"
  done <"$STACK_DIR/ports.env"
}

save_state() {
  local key
  {
    echo "# Remembered by scripts/stack.sh so that restarts reuse the same ports."
    for key in "${STATE_KEYS[@]}" RABBIT_NODENAME; do
      [[ -n ${!key:-} ]] && echo "$key=${!key}"
    done
  } >"$STACK_DIR/ports.env.tmp"
  mv "$STACK_DIR/ports.env.tmp" "$STACK_DIR/ports.env"
}

# Every component gets its ports at the first start, even when --only starts a few, so stack.env
# is complete and stable from then on.
assign_ports() {
  local key pin missing=() taken=() picked out i
  for key in "${STATE_KEYS[@]}"; do
    pin=${PIN_VAR[$key]:-}
    if [[ -n $pin && -n ${!pin:-} ]]; then
      [[ ${!pin} =~ ^[0-9]+$ ]] || die "$pin=${!pin} is not a port"
      printf -v "$key" '%s' "${!pin}"
    fi
    if [[ -n ${!key:-} ]]; then taken+=("${!key}"); else missing+=("$key"); fi
  done
  local dup
  dup=$(printf '%s\n' "${taken[@]}" | sort | uniq -d | head -1)
  [[ -z $dup ]] || die "port $dup is given to two components (MADE0_STACK_*_PORT or $STACK_DIR/ports.env)"
  if ((${#missing[@]} > 0)); then
    out=$(pick_ports "${#missing[@]}" "${taken[@]}") || die "found no free ports"
    read -r -a picked <<<"$out"
    for i in "${!missing[@]}"; do
      printf -v "${missing[$i]}" '%s' "${picked[$i]}"
      FRESH[${missing[$i]}]=1
    done
  fi
  # A per-stack nodename keeps two stacks' Erlang nodes apart even in a shared epmd.
  [[ -n ${RABBIT_NODENAME:-} ]] ||
    RABBIT_NODENAME="made0-$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-8)@localhost"
  save_state
}

# Re-picks a component's ports after a conflict, if all of them were picked by this run.
repick_ports() {
  local c=$1 key taken=() picked out i keys
  read -r -a keys <<<"${PORT_KEYS[$c]}"
  for key in "${keys[@]}"; do [[ -n ${FRESH[$key]:-} ]] || return 1; done
  for key in "${STATE_KEYS[@]}"; do taken+=("${!key}"); done
  out=$(pick_ports "${#keys[@]}" "${taken[@]}") || return 1
  read -r -a picked <<<"$out"
  for i in "${!keys[@]}"; do printf -v "${keys[$i]}" '%s' "${picked[$i]}"; done
  save_state
}

component_ports() {
  if [[ $1 == rabbit ]]; then
    printf '%s (dist %s, epmd %s)' "${AMQP_PORT:-?}" "${RABBIT_DIST_PORT:-?}" "${RABBIT_EPMD_PORT:-?}"
  else
    local key=${PORT_KEYS[$1]}
    printf '%s' "${!key:-?}"
  fi
}

# ---- actions --------------------------------------------------------------------------------

# Starts the given components in parallel; each job's messages go to DIR/run/<c>.out and are
# printed in order once all are done. Prints the names that hit a port conflict into $CONFLICTS.
start_round() {
  local c i pids=() rc failed=0 comps=("$@")
  CONFLICTS=()
  mkdir -p "$STACK_DIR/run"
  for c in "$@"; do
    # The job's status is the start function's, said explicitly: start_round runs on the left of
    # `||`, where bash ignores `set -e` in everything it calls, subshells included.
    (
      t0=${EPOCHREALTIME/./}
      rc=0
      "${c}_start" || rc=$?
      ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
      printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)) >"$STACK_DIR/run/$c.time"
      exit "$rc"
    ) >"$STACK_DIR/run/$c.out" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    c=${comps[$i]}
    rc=0
    wait "${pids[$i]}" || rc=$?
    if ((rc == E_PORT_IN_USE)); then
      CONFLICTS+=("$c")
    elif ((rc != 0)); then
      say "$c: FAILED to start (port $(component_ports "$c"))"
      sed 's/^/  /' "$STACK_DIR/run/$c.out"
      failed=1
    else
      say "$c: started on port $(component_ports "$c") in $(cat "$STACK_DIR/run/$c.time") s"
      sed 's/^/  /' "$STACK_DIR/run/$c.out"
    fi
  done
  return "$failed"
}

do_start() {
  local c todo=() failed=0 conflicts t0=${EPOCHREALTIME/./}
  assign_ports
  for c in "${SELECTED[@]}"; do
    if "${c}_is_running"; then
      say "$c: already running on port $(component_ports "$c")"
    else
      todo+=("$c")
    fi
  done
  start_round "${todo[@]}" || failed=1
  for _ in 1 2; do
    ((${#CONFLICTS[@]} > 0)) || break
    conflicts=("${CONFLICTS[@]}")
    todo=()
    for c in "${conflicts[@]}"; do
      if repick_ports "$c"; then
        say "$c: port taken by another process meanwhile, retrying on new ports"
        todo+=("$c")
      else
        say "$c: FAILED: port $(component_ports "$c") is in use by another process" \
          "(remembered in $STACK_DIR/ports.env or pinned by MADE0_STACK_*_PORT)"
        failed=1
      fi
    done
    CONFLICTS=()
    ((${#todo[@]} == 0)) || start_round "${todo[@]}" || failed=1
  done
  for c in "${CONFLICTS[@]}"; do
    say "$c: FAILED: its ports kept being taken by other processes"
    failed=1
  done
  write_env
  if ((failed)); then
    warn "start failed; components that did start are left running (scripts/stack.sh stop --dir $STACK_DIR)"
    exit 1
  fi
  say "stack ready in $(((${EPOCHREALTIME/./} - t0) / 100000 / 10)).$(((${EPOCHREALTIME/./} - t0) / 100000 % 10)) s: env in $STACK_DIR/stack.env; mail lands in $(smtp_maildir)/new"
}

write_env() {
  cat >"$STACK_DIR/stack.env.tmp" <<EOF
MADE0_PG_URL=postgresql://made0@127.0.0.1:$PG_PORT/made0
MADE0_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
MADE0_AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT
MADE0_MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT/made0
MADE0_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
MADE0_MAILDIR=$(smtp_maildir)
EOF
  mv "$STACK_DIR/stack.env.tmp" "$STACK_DIR/stack.env"
}

do_stop() {
  local c pid pids=()
  for c in "${SELECTED[@]}"; do
    if "${c}_is_running"; then
      ("${c}_stop"; say "$c: stopped") &
      pids+=($!)
    else
      "${c}_stop" # still ends leftovers, such as an epmd whose broker died
      say "$c: not running"
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
}

do_status() {
  local c all=0
  for c in "${SELECTED[@]}"; do
    if "${c}_is_running"; then
      printf '%-7s running  port %s\n' "$c" "$(component_ports "$c")"
    else
      printf '%-7s stopped  port %s\n' "$c" "$(component_ports "$c")"
      all=3
    fi
  done
  [[ -f $STACK_DIR/stack.env ]] && say "env: $STACK_DIR/stack.env"
  say "mail: $(smtp_maildir)/new"
  return "$all"
}

main() {
  parse_args "$@"
  ((EUID == 0)) || die "run as root (PostgreSQL is started through su postgres)"
  if [[ $ACTION == start ]]; then mkdir -p "$STACK_DIR"; fi
  if [[ ! -d $STACK_DIR ]]; then
    say "$STACK_DIR does not exist: nothing is running there"
    [[ $ACTION == stop ]] && exit 0
    exit 3
  fi
  STACK_DIR=$(cd "$STACK_DIR" && pwd -P)
  # One action at a time per DIR; servers never inherit this descriptor (see spawn).
  exec 9>"$STACK_DIR/.lock"
  flock -w 300 9 || die "another scripts/stack.sh holds $STACK_DIR/.lock"
  load_state
  case $ACTION in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
  esac
}

main "$@"
