#!/usr/bin/env bash
# Runs benchmark through the running local stack (deploy/local/stack.sh up first), on the builtin chat engine:
# streamed create-thread-and-run requests read to [DONE] (runs completed per second), then unstreamed creates.
#   bench/runs.sh [requests=2000] [concurrency=16 | rate=R]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" runs member "${1:-2000}" "${2:-16}"
