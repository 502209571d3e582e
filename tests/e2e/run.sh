#!/usr/bin/env bash
# Runs the browser tests against running services: run.sh SERVICES_DIR STACK_DIR SCREENSHOT_DIR
# (ctest passes the test stack's and test services' directories).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SERVICES=$1 STACK=$2 SHOTS=$3
mkdir -p "$SHOTS"
export MADE0_CONSOLE_URL=$(cat "$SERVICES/console.url")
export MADE0_MAILDIR=$(grep '^MADE0_MAILDIR=' "$STACK/stack.env" | cut -d= -f2-)
export MADE0_SCREENSHOT_DIR=$SHOTS
cd "$HERE"
exec node --test signup.test.mjs mail.test.mjs
