#!/usr/bin/env bash
# Moderations API load test (built-in engine) through the running local stack (deploy/local/stack.sh up).
#   bench/moderations.sh [requests=4000] [concurrency=16 | rate=R]
# A concurrency is a closed loop (the most the stack can do); rate=R starts R requests per second whatever the
# answers (open loop), which is how latency at a given load is read. MERIDIAN_BENCH_DIRECT=1 skips the edge and
# calls moderation-service itself. MERIDIAN_BENCH_MODEL picks the model (default omni-moderation-latest); bind one to the
# engine builtin-fast in the catalog to measure that engine. Four phases: one short threat per request, four texts per
# request, one benign image prompt per request, and every text of moderation-training/data/check-*.txt in turn
# (157 benign and 40 harmful short texts, shuffled), one per request.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" moderations member "${1:-4000}" "${2:-16}"
