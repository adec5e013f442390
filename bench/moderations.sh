#!/usr/bin/env bash
# Moderations API load test (built-in engine) through the running local stack (deploy/local/stack.sh up).
#   bench/moderations.sh [requests=4000] [concurrency=16]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" moderations member "${1:-4000}" "${2:-16}"
