#!/usr/bin/env bash
# Runs benchmark through the running local stack (deploy/local/stack.sh up first), on the builtin chat engine:
# streamed create-thread-and-run requests read to [DONE] (runs completed per second), then unstreamed creates.
# The dev project's limits for gpt-4o-mini are raised first (bench/raise-limits.sh), or runs would be refused with 429.
#   bench/runs.sh [requests=2000] [concurrency=16 | rate=R]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/raise-limits.sh" gpt-4o-mini
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" runs member "${1:-2000}" "${2:-16}"
