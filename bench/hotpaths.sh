#!/usr/bin/env bash
# The platform's hot paths beside a bare Vert.x server that does the same token check (bench/baseline), in one run,
# against the running local stack (deploy/local/stack.sh up first), with wrk (Debian: apt-get install wrk):
#   GET /v1/models on the baseline, on models-service directly and through the edge; then POST /v1/assistants,
#   GET /v1/assistants?limit=20 and GET /v1/threads/{id}/messages?limit=20 through the edge and directly.
#   bench/hotpaths.sh [seconds per phase=15] [connections=32] [only=pattern]
# Each phase follows a warm-up of a third of its length on the same target. Figures: docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
SECONDS_PER_PHASE="${1:-15}"
CONNECTIONS="${2:-32}"
ONLY="${3:-}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack running (deploy/local/stack.sh up)" >&2; exit 1; }
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN/ports.env"
STACK="$ROOT/deploy/local/stack.sh"
ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/meridian"

JAR="$ROOT/bench/baseline/target/bench-baseline.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT" && ./mvnw -B -q package -pl bench/baseline -am -DskipTests)
fi

WORK="$(mktemp -d)"
BASELINE_PID=""
cleanup() {
  [[ -n "$BASELINE_PID" ]] && kill "$BASELINE_PID" 2>/dev/null && wait "$BASELINE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$(( 20000 + RANDOM % 12000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port" >&2; exit 1
}

token() { "$STACK" token member; }

TOKEN="$(token)"
curl -fsS "$ISSUER/protocol/openid-connect/certs" > "$WORK/jwks.json"
curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MODELS_PORT/v1/models" > "$WORK/models.json"
BASELINE_PORT="$(free_port)"
java -Xmx256m -cp "$JAR:$ROOT/bench/baseline/target/lib/*" dev.meridian.bench.BaselineServer \
  "$BASELINE_PORT" "$WORK/jwks.json" "$ISSUER" "$WORK/models.json" > "$WORK/baseline.log" 2>&1 &
BASELINE_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$BASELINE_PORT") 2>/dev/null && break
  sleep 0.1
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$BASELINE_PORT/")" == 200 ]] \
  || { echo "the baseline does not accept the token"; cat "$WORK/baseline.log"; exit 1; }

cat > "$WORK/create-assistant.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","name":"bench","instructions":"You are a benchmark.","metadata":{"run":"bench"}}'
wrk.headers["Content-Type"] = "application/json"
LUA
messages=""
for i in $(seq 1 20); do messages+="${messages:+,}{\"role\":\"user\",\"content\":\"message $i of the benchmark\"}"; done
THREAD="$(curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'OpenAI-Beta: assistants=v2' -H 'Content-Type: application/json' \
  -d "{\"messages\":[$messages]}" "http://127.0.0.1:$EDGE_PORT/v1/threads" | sed -E 's/.*"id":"(thread_[^"]+)".*/\1/')"

printf '%s, %s s per phase, %s connections, wrk -t2, %s cores, %s\n' "$(date -u +%FT%TZ)" "$SECONDS_PER_PHASE" \
  "$CONNECTIONS" "$(nproc)" "$(git -C "$ROOT" rev-parse --short HEAD)"
printf '%-44s %10s %9s %9s %9s %8s\n' phase req/s p50 p90 p99 errors

# phase NAME URL [LUA]: a warm-up, then the measured run; prints one row and remembers req/s as RATE
phase() {
  local name="$1" url="$2" script=() out rate
  [[ -n "$ONLY" && "$name" != *$ONLY* ]] && { RATE=0; return; }
  [[ -n "${3:-}" ]] && script=(-s "$3")
  TOKEN="$(token)"
  local headers=(-H "Authorization: Bearer $TOKEN" -H "OpenAI-Beta: assistants=v2")
  wrk -t2 -c"$CONNECTIONS" -d"$(( (SECONDS_PER_PHASE + 2) / 3 ))s" "${headers[@]}" "${script[@]}" "$url" > /dev/null
  out="$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_PHASE}s" --latency "${headers[@]}" "${script[@]}" "$url")"
  rate="$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<< "$out")"
  printf '%-44s %10s %9s %9s %9s %8s\n' "$name" "$rate" \
    "$(awk '$1 == "50%" {print $2}' <<< "$out")" "$(awk '$1 == "90%" {print $2}' <<< "$out")" \
    "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
    "$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}' <<< "$out")"
  RATE="$rate"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }

phase "GET /v1/models, bare Vert.x baseline" "http://127.0.0.1:$BASELINE_PORT/v1/models"; BASE_RATE=$RATE
phase "GET /v1/models, models-service directly" "http://127.0.0.1:$MODELS_PORT/v1/models"; DIRECT_RATE=$RATE
phase "GET /v1/models, through the edge" "http://127.0.0.1:$EDGE_PORT/v1/models"; EDGE_RATE=$RATE
phase "POST /v1/assistants, through the edge" "http://127.0.0.1:$EDGE_PORT/v1/assistants" "$WORK/create-assistant.lua"
phase "POST /v1/assistants, directly" "http://127.0.0.1:$ASSISTANTS_PORT/v1/assistants" "$WORK/create-assistant.lua"
phase "GET /v1/assistants?limit=20, through the edge" "http://127.0.0.1:$EDGE_PORT/v1/assistants?limit=20"
phase "GET messages?limit=20, through the edge" "http://127.0.0.1:$EDGE_PORT/v1/threads/$THREAD/messages?limit=20"
if [[ -z "$ONLY" || "GET /v1/models" == *$ONLY* ]]; then
  echo "models through the edge: $(ratio "$EDGE_RATE" "$BASE_RATE") of the baseline (aim >= 60%);" \
    "the edge costs $(awk -v e="$EDGE_RATE" -v d="$DIRECT_RATE" 'BEGIN { if (d > 0) printf "%.0f%%", 100 * (1 - e / d); else print "-" }')" \
    "of a direct call's throughput (aim <= 10%)"
fi
