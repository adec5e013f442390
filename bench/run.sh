#!/usr/bin/env bash
# Runs bench/Bench.java SCENARIO against the local stack's edge with a dev user's token.
#   bench/run.sh SCENARIO USER REQUESTS CONCURRENCY
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
TOKEN="$("$ROOT/deploy/local/stack.sh" token "$2")"
exec java "$ROOT/bench/Bench.java" "$1" "http://127.0.0.1:$EDGE_PORT/v1" "$TOKEN" "$3" "$4"
