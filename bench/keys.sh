#!/usr/bin/env bash
# What an sk- API key costs next to a Keycloak token, through the running local stack (deploy/local/stack.sh up first):
# GET /v1/models/gpt-4o with the member's token, then with a new personal key of the member, twice over.
#   bench/keys.sh [requests=20000] [concurrency=32 | rate=R]        (MERIDIAN_BENCH_DIRECT=1: models-service's own port)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MERIDIAN_BENCH_KEY="$("$ROOT/deploy/local/stack.sh" key member)"
export MERIDIAN_BENCH_KEY
exec "$ROOT/bench/run.sh" keys member "${1:-20000}" "${2:-32}"
