#!/usr/bin/env bash
# Assistants API benchmark through the running local stack (deploy/local/stack.sh up first).
#   bench/assistants.sh [requests=2000] [concurrency=16]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" assistants outsider "${1:-2000}" "${2:-16}"
