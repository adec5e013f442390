#!/usr/bin/env bash
# What enforcing rate limits costs per request, on the running local stack (deploy/local/stack.sh up first): starts a
# second moderation-service replica with rate limits off, raises the dev org's default project's limits for
# omni-moderation-latest to 100,000 requests a minute (so the benchmark is never refused), then sends the same benign
# moderation with the member's token alternately to the stack's replica (limits on) and to that one, twice over.
#   bench/ratelimits.sh [requests=5000] [concurrency=16 | rate=R]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
# shellcheck disable=SC1091
source "$RUN/ports.env"
"$ROOT/bench/raise-limits.sh" omni-moderation-latest
PORT=$(MERIDIAN_RATE_LIMITS_ENABLED=false "$ROOT/deploy/local/stack.sh" replica moderation-service --no-edge | tail -1)
# the unlimited replica is this benchmark's own: it stops when the benchmark ends
REPLICA=$(basename "$(grep -lx "$PORT" "$RUN"/moderation-service-*.port)" .port)
trap '"$ROOT/deploy/local/stack.sh" stop "$REPLICA" > /dev/null' EXIT
export MERIDIAN_BENCH_UNLIMITED_BASE="http://127.0.0.1:$PORT/v1"
export MERIDIAN_BENCH_DIRECT=1
"$ROOT/bench/run.sh" limits member "${1:-5000}" "${2:-16}"
# the limiter's own time per request on the limited replica, measured inside it (its share of the latencies above)
echo "meridian.ratelimit.admit and its CPU time on the limited replica (seconds):"
curl -fsS "http://127.0.0.1:$MODERATION_PORT/q/metrics" | grep -E '^meridian_ratelimit_admit(_cpu)?_seconds(\{.*quantile|_count|_max)'

