#!/usr/bin/env bash
# Raises the rate limits of the dev org's default project for one model on the running local stack, so that a
# benchmark measures Meridian's cost, not the limiter's refusals (the defaults allow 500 requests a minute).
#   bench/raise-limits.sh MODEL [requests per minute=100000] [tokens per minute=100000000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
MODEL="${1:?usage: bench/raise-limits.sh MODEL [requests per minute] [tokens per minute]}"
OWNER="$("$ROOT/deploy/local/stack.sh" token owner)"
PROJECT=$(curl -fsS -H "Authorization: Bearer $OWNER" "http://127.0.0.1:$EDGE_PORT/v1/organization/projects?limit=1" \
  | sed -E 's/.*"data":\[\{"id":"([^"]+)".*/\1/')
# the day's request limit too, for the models that have one (chat models do; a long session used up their 100,000)
DAY=""
if curl -fsS -H "Authorization: Bearer $OWNER" "http://127.0.0.1:$EDGE_PORT/v1/organization/projects/$PROJECT/rate_limits?limit=100" \
    | grep -qE "\"id\":\"rl-$MODEL\"[^}]*\"max_requests_per_1_day\""; then
  DAY=',"max_requests_per_1_day":100000000'
fi
curl -fsS -o /dev/null -H "Authorization: Bearer $OWNER" -H "Content-Type: application/json" \
  -d "{\"max_requests_per_1_minute\":${2:-100000},\"max_tokens_per_1_minute\":${3:-100000000}$DAY}" \
  "http://127.0.0.1:$EDGE_PORT/v1/organization/projects/$PROJECT/rate_limits/rl-$MODEL"
# a change applies on every replica within a second
sleep 1.2
