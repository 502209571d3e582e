#!/usr/bin/env bash
# Runs the browser tests against running services: run.sh SERVICES_DIR STACK_DIR SCREENSHOT_DIR
# [BUILD_DIR] (ctest passes the test stack's and test services' directories, and the build).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SERVICES=$1 STACK=$2 SHOTS=$3 BUILD=${4:-$HERE/../../build}
mkdir -p "$SHOTS"
# shellcheck source=../../scripts/lib/node.sh
source "$HERE/../../scripts/lib/node.sh"
use_project_node "$HERE/../.."
export MADE0_CONSOLE_URL=$(cat "$SERVICES/console.url")
export MADE0_MAILDIR=$(grep '^MADE0_MAILDIR=' "$STACK/stack.env" | cut -d= -f2-)
export MADE0_SCREENSHOT_DIR=$SHOTS
export MADE0CTL=$BUILD/tools/made0ctl/made0ctl MADE0_STACK_ENV=$STACK/stack.env
cd "$HERE"
exec node --test signup.test.mjs mail.test.mjs infra.test.mjs
