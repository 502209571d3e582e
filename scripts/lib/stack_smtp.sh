# shellcheck shell=bash
# SMTP sink for the local stack (sourced by scripts/stack.sh): Debian's aiosmtpd with the handler in
# scripts/smtp/maildir_handler.py, so every accepted message becomes a file in
# DIR/smtp/maildir/new, as with aiosmtpd's Mailbox handler but without re-parsing each message or
# fsyncing each file (see the handler for why). Runs on /usr/bin/python3, which has
# python3-aiosmtpd (the pyenv python3 on PATH does not).
#
#   smtp_start; smtp_is_running; smtp_stop; smtp_maildir
#
# Uses STACK_DIR and SMTP_PORT.

smtp_home() { printf '%s/smtp' "$STACK_DIR"; }
smtp_log() { printf '%s/smtp/smtp.log' "$STACK_DIR"; }
smtp_maildir() { printf '%s/smtp/maildir' "$STACK_DIR"; }
smtp_pid() { pidfile_alive "$(smtp_home)/smtp.pid" aiosmtpd; }
smtp_is_running() { smtp_pid >/dev/null; }

# Ready once the greeting arrives, not merely when the port accepts.
smtp_ready() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT && head -c 3 <&3 | grep -qx 220 &&
    printf 'QUIT\r\n' >&3" 2>/dev/null
}

smtp_start() {
  local offset
  mkdir -p "$(smtp_maildir)"/{new,cur,tmp}
  port_free "$SMTP_PORT" || return "$E_PORT_IN_USE"
  offset=$(log_offset "$(smtp_log)")
  spawn "$(smtp_home)/smtp.pid" "$(smtp_log)" env PYTHONPATH="$STACK_REPO/scripts/smtp" \
    "$STACK_PY" -u -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c maildir_handler.MaildirHandler \
    "$(smtp_maildir)"
  if ! wait_until 10 "$(smtp_home)/smtp.pid" smtp_ready; then
    log_has_addr_in_use "$(smtp_log)" "$offset" && return "$E_PORT_IN_USE"
    log_tail "$(smtp_log)" "$offset"
    return 1
  fi
}

smtp_stop() {
  local pid
  pid=$(smtp_pid) || return 0
  stop_pids TERM 10 "$pid"
}
