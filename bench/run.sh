#!/usr/bin/env bash
# Runs bench/Bench.java SCENARIO against the local stack's edge with a dev user's token.
#   bench/run.sh SCENARIO USER REQUESTS CONCURRENCY|rate=R     (MERIDIAN_BENCH_DIRECT=1: the service's own port)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
TOKEN="$("$ROOT/deploy/local/stack.sh" token "$2")"
PORT=$EDGE_PORT
if [[ "${MERIDIAN_BENCH_DIRECT:-0}" == 1 ]]; then
  case "$1" in
    moderations) PORT=$MODERATION_PORT ;;
    images) PORT=$IMAGES_PORT ;;
    assistants|runs) PORT=$ASSISTANTS_PORT ;;
    keys) PORT=$MODELS_PORT ;;
    limits) PORT=$MODERATION_PORT ;;
  esac
fi
exec java -Dbench.checks="$ROOT/moderation-training/data" "$ROOT/bench/Bench.java" "$1" "http://127.0.0.1:$PORT/v1" "$TOKEN" "$3" "$4"
