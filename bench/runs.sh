#!/usr/bin/env bash
# Runs benchmark through the running local stack (deploy/local/stack.sh up first), on the builtin chat engine:
# streamed create-thread-and-run requests read to [DONE] (runs completed per second), streamed runs on existing threads,
# then unstreamed creates.
# The time to the first delta is printed as the load generator saw it and as assistants-service measured it
# (meridian.runs.first_delta, from the request's arrival to the delta written).
# The dev project's limits for gpt-4o-mini are raised first (bench/raise-limits.sh), or runs would be refused with 429.
#   bench/runs.sh [requests=2000] [concurrency=16 | rate=R]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
"$ROOT/bench/raise-limits.sh" gpt-4o-mini
export MERIDIAN_BENCH_METRICS="http://127.0.0.1:$ASSISTANTS_PORT/q/metrics"
exec "$ROOT/bench/run.sh" runs member "${1:-2000}" "${2:-16}"
