#!/usr/bin/env bash
# Images API benchmark (b64_json generations, 256x256 then 1024x1024) through the running local stack.
# Until moderation-service serves /v1/moderations, start the stack with
#   MERIDIAN_IMAGES_MODERATION_UNAVAILABLE=allow deploy/local/stack.sh up
# or images-service refuses to generate unchecked (503), as its default policy says.
#   bench/images.sh [requests=400] [concurrency=8]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" images member "${1:-400}" "${2:-8}"
