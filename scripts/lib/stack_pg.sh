# shellcheck shell=bash
# PostgreSQL 15 for the local stack (sourced by scripts/stack.sh). initdb and the server run as the
# postgres user because they refuse root (FEASIBILITY.md 1). Role made0 owns database made0, trust
# auth on loopback. No Unix socket: a long DIR would exceed the 107-byte socket path limit.
#
#   pg_start; pg_is_running && echo "$(pg_pid)"; pg_stop
#
# Uses STACK_DIR and PG_PORT.

readonly PG_BIN=/usr/lib/postgresql/15/bin

# The server's files are in DIR/pg, or, where user postgres cannot reach DIR (a clone in a home
# directory of mode 700, as root's is and Debian 12 makes new users'), in /var/lib/made0/pg/<hash
# of DIR>, which DIR/pg then links to. PostgreSQL is always given the resolved path.
readonly PG_FALLBACK_BASE=/var/lib/made0/pg
pg_home() {
  local home=$STACK_DIR/pg
  [[ -L $home ]] && home=$(readlink -f "$home")
  printf '%s' "$home"
}
pg_log() { printf '%s/postgres.log' "$(pg_home)"; }
pg_pid() { pidfile_alive "$(pg_home)/data/postmaster.pid" postgres; }
pg_is_running() { pg_pid >/dev/null; }

pg_as_postgres() { su postgres -s /bin/sh -c "cd / && $*" 9>&-; }

pg_ready() {
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U made0 -d made0 -tAc 'select 1' 2>/dev/null | grep -qx 1
}

# pg_fallback_orphaned TARGET: TARGET (a directory under PG_FALLBACK_BASE) belongs to no stack any
# more: the stack directory named in its owner file is gone or its pg no longer links to TARGET,
# and no server runs in it. Folders without an owner file are left alone.
pg_fallback_orphaned() {
  local target=$1 owner
  [[ -f $target/owner ]] || return 1
  read -r owner <"$target/owner" || return 1
  [[ -n $owner ]] || return 1
  pidfile_alive "$target/data/postmaster.pid" postgres >/dev/null && return 1
  [[ $(readlink -f "$owner/pg" 2>/dev/null) != "$target" ]]
}

# pg_collect_fallbacks removes the folders under PG_FALLBACK_BASE whose stack directory was deleted
# (or moved), so that a machine running many fresh clones does not keep every old cluster.
pg_collect_fallbacks() {
  local target
  for target in "$PG_FALLBACK_BASE"/*/; do
    target=${target%/}
    [[ -d $target ]] || continue
    if pg_fallback_orphaned "$target"; then
      rm -rf "$target"
      say "pg: removed $target, whose stack directory is gone"
    fi
  done
}

# pg_move_out replaces the (new, empty) DIR/pg that user postgres cannot reach by a link to a
# directory of its own under PG_FALLBACK_BASE, which names DIR in its owner file.
pg_move_out() {
  local dir key target
  dir=$(realpath -m "$STACK_DIR")
  key=$(printf '%s' "$dir" | sha256sum | cut -c1-16)
  target=$PG_FALLBACK_BASE/$key
  install -d -m 755 "$PG_FALLBACK_BASE"
  pg_collect_fallbacks
  install -d -o postgres -g postgres -m 700 "$target"
  if ! pg_as_postgres "test -w '$target'"; then
    warn "pg: user postgres can write neither $STACK_DIR/pg nor $target"
    return 1
  fi
  rmdir "$STACK_DIR/pg" && ln -s "$target" "$STACK_DIR/pg" || return 1
  # Only once the link exists: a folder whose owner file names a stack that does not link to it is
  # collected by the next start of any stack.
  printf '%s\n' "$dir" >"$target/owner"
  say "pg: user postgres cannot reach $STACK_DIR, so its data are in $target ($STACK_DIR/pg links there)"
}

pg_init() {
  local home data
  home=$(pg_home)
  data=$home/data
  [[ -f $data/PG_VERSION ]] && return 0
  install -d -o postgres -g postgres -m 700 "$home"
  if ! pg_as_postgres "test -w '$home'"; then
    pg_move_out || return 1
    home=$(pg_home)
    data=$home/data
  fi
  rm -rf "$data"
  pg_as_postgres "'$PG_BIN/initdb' -D '$data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" \
    >>"$(pg_log)" 2>&1 || {
    warn "pg: initdb failed"
    return 1
  }
  # fsync=off: a test database. Committed data still survives a killed server (it is in the OS page
  # cache), only an OS crash could lose it.
  cat >>"$data/postgresql.conf" <<'EOF'

# made0 local stack
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

pg_admin() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

# Idempotent, so it also repairs a cluster whose first start stopped half-way.
pg_create_db() {
  pg_admin -c "do \$\$ begin if not exists (select from pg_roles where rolname = 'made0') then
    create role made0 login createdb; end if; end \$\$" >/dev/null || return 1
  if [[ $(pg_admin -tAc "select count(*) from pg_database where datname = 'made0'") == 0 ]]; then
    pg_admin -c 'create database made0 owner made0' >/dev/null || return 1
  fi
}

# PostgreSQL refuses to start while the PID in postmaster.pid exists, and a killed postmaster stays
# a zombie until init reaps it (seconds). A PID recycled by another program is a stale file.
pg_pid_reaped() { ! kill -0 "$1" 2>/dev/null; }

pg_clear_stale_pidfile() {
  local file pid
  file=$(pg_home)/data/postmaster.pid
  pid=$(pid_from_file "$file") || return 0
  wait_until 15 - pg_pid_reaped "$pid" || true
  pg_pid_reaped "$pid" || pid_matches "$pid" postgres || rm -f "$file"
}

pg_start() {
  local offset
  pg_init || return 1
  pg_clear_stale_pidfile
  port_free "$PG_PORT" || return "$E_PORT_IN_USE"
  offset=$(log_offset "$(pg_log)")
  touch "$(pg_log)" && chown postgres:postgres "$(pg_log)"
  if ! pg_as_postgres "'$PG_BIN/pg_ctl' -D '$(pg_home)/data' -l '$(pg_log)' -o '-p $PG_PORT'" \
    "-w -t 30 start" >/dev/null 2>&1; then
    log_has_addr_in_use "$(pg_log)" "$offset" && return "$E_PORT_IN_USE"
    log_tail "$(pg_log)" "$offset"
    return 1
  fi
  pg_create_db || {
    warn "pg: could not create role/database made0"
    return 1
  }
  wait_until 10 - pg_ready || {
    log_tail "$(pg_log)" "$offset"
    return 1
  }
}

# SIGINT is PostgreSQL's "fast" shutdown: what `pg_ctl -m fast stop` sends.
pg_stop() {
  local pid
  pid=$(pg_pid) || return 0
  stop_pids INT 15 "$pid"
}
