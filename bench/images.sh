#!/usr/bin/env bash
# Images API benchmark (b64_json generations, 256x256 then 1024x1024) through the running local stack.
#   bench/images.sh [requests=400] [concurrency=8]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" images member "${1:-400}" "${2:-8}"
