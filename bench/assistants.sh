#!/usr/bin/env bash
# Assistants API benchmark through the running local stack (deploy/local/stack.sh up first).
#   bench/assistants.sh [requests=2000] [concurrency=16]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
TOKEN="$("$ROOT/deploy/local/stack.sh" token outsider)"
exec java "$ROOT/bench/AssistantsBench.java" "http://127.0.0.1:$EDGE_PORT/v1" "$TOKEN" "${1:-2000}" "${2:-16}"
