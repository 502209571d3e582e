# shellcheck shell=bash
# Helpers shared by scripts/stack.sh and its per-component files (scripts/lib/stack_*.sh): messages,
# PID files, readiness polling, log tails and free-port selection. Sourced, never run.
#
#   source "$LIB/stack_common.sh"
#   spawn "$DIR/redis/redis.pid" "$DIR/redis/redis.log" redis-server --port 6400
#   wait_until 15 "$DIR/redis/redis.pid" redis_ping
#
# Conventions: functions return non-zero instead of exiting, so one component's failure can be
# reported while the others finish; every server is started with fd 9 (the stack's lock) closed
# and stdin/stdout/stderr away from the caller, so ctest and CI never wait on it.

STACK_PY=/usr/bin/python3 # the pyenv python3 on PATH lacks aiosmtpd; keep all helpers on one
# Exit status of a component start that failed because its port is taken: stack.sh may pick a new
# port and retry when the port was chosen automatically in this run.
# shellcheck disable=SC2034 # used by the component files
readonly E_PORT_IN_USE=75

say() { printf '%s\n' "$*"; }
warn() { printf 'stack: %s\n' "$*" >&2; }
die() {
  warn "$*"
  exit 1
}

# pid_from_file FILE -> prints the first line's PID if the file exists.
pid_from_file() {
  [[ -f $1 ]] || return 1
  local pid
  read -r pid <"$1" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# pid_matches PID PATTERN: the process exists and its command line contains PATTERN (guards against
# a recycled PID belonging to something else).
pid_matches() {
  local pid=$1 pattern=$2 cmd
  [[ -r /proc/$pid/cmdline ]] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ -n $cmd && $cmd == *"$pattern"* ]]
}

# pid_gone PID: no such process, or only a zombie waiting for init to reap it.
pid_gone() {
  ! kill -0 "$1" 2>/dev/null || [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) == Z ]]
}

# pidfile_alive FILE PATTERN -> prints the PID and succeeds if it is running and matches.
pidfile_alive() {
  local pid
  pid=$(pid_from_file "$1") || return 1
  pid_matches "$pid" "$2" || return 1
  printf '%s' "$pid"
}

# spawn PIDFILE LOG CMD...: starts CMD detached in its own session, logging to LOG.
spawn() {
  local pidfile=$1 log=$2
  shift 2
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$pidfile"
}

# log_offset FILE -> current size, to show only what a start appended.
log_offset() { stat -c %s "$1" 2>/dev/null || echo 0; }

# log_tail FILE [OFFSET] [LINES]: the last lines written since OFFSET, indented.
log_tail() {
  local file=$1 offset=${2:-0} lines=${3:-25}
  [[ -f $file ]] || return 0
  say "    --- last lines of $file ---"
  tail -c "+$((offset + 1))" "$file" | tail -n "$lines" | sed 's/^/    | /'
}

# log_has_addr_in_use FILE OFFSET: whether the server said its port was taken.
log_has_addr_in_use() {
  tail -c "+$(($2 + 1))" "$1" 2>/dev/null | grep -qiE 'address already in use|eaddrinuse|errno 98'
}

# wait_until SECONDS WHAT CHECK...: polls CHECK every 0.1 s. WHAT is a PID or a PID file whose
# process must stay alive meanwhile ("-" for none): a server that died fails at once.
wait_until() {
  local timeout=$1 what=$2 deadline pid
  shift 2
  deadline=$((SECONDS + timeout))
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    if [[ $what != - ]]; then
      pid=$what
      [[ -f $what ]] && pid=$(pid_from_file "$what" 2>/dev/null)
      if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
        warn "process exited before it was ready"
        return 1
      fi
    fi
    ((SECONDS < deadline)) || {
      warn "not ready after ${timeout} s: $*"
      return 1
    }
    sleep 0.1
  done
}

# stop_pids SIGNAL TIMEOUT PID...: sends SIGNAL, waits for all to exit, then SIGKILLs survivors.
stop_pids() {
  local sig=$1 timeout=$2 pid deadline alive
  shift 2
  (($# > 0)) || return 0
  kill "-$sig" "$@" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while :; do
    alive=()
    for pid in "$@"; do
      pid_gone "$pid" || alive+=("$pid")
    done
    ((${#alive[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      warn "PID ${alive[*]} still running after ${timeout} s: SIGKILL"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      sleep 0.2
      return 0
    fi
    sleep 0.1
  done
}

# tcp_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
tcp_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# port_free PORT: a server could bind it on loopback now. A bind test sees wildcard listeners and
# sockets that are not listening; SO_REUSEADDR, as every server here sets, ignores the TIME_WAIT
# connections that a server just stopped leaves behind.
port_free() {
  "$STACK_PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

# pick_ports N [EXCLUDED...] -> N distinct free ports. They are drawn at random below the kernel's
# ephemeral range, so outgoing connections never take a remembered port while its server is
# stopped, and two stacks started side by side rarely draw the same one (stack.sh retries if so).
pick_ports() {
  "$STACK_PY" - "$@" <<'EOF'
import random, socket, sys
n, excluded = int(sys.argv[1]), {int(p) for p in sys.argv[2:]}
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    eph_lo = int(f.read().split()[0])
lo, hi = 20000, min(eph_lo, 32768)
chosen = []
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
if hi - lo < 1000:  # unusual range: let the kernel choose
    while len(chosen) < n:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
        if p not in excluded and p not in chosen:
            chosen.append(p)
else:
    for p in random.sample(range(lo, hi), hi - lo):
        if p not in excluded and free(p):
            chosen.append(p)
            if len(chosen) == n:
                break
if len(chosen) < n:
    sys.exit("no free port")
print(" ".join(map(str, chosen)))
EOF
}
