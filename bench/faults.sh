#!/usr/bin/env bash
# Fault drills against the running local stack (deploy/local/stack.sh up first), each under steady load through the
# edge, with exact counts at the end (docs/reliability.md). They stop and start parts of the stack with stack.sh.
#   bench/faults.sh [short|long] [drill...]
#     short (default)  as ./mvnw verify runs them: a 15 s Kafka outage, a 45 s soak
#     long             a 60 s Kafka outage and a 10-minute soak
#     drill            kafka, postgres, moderation, keycloak, replica, soak (default: all, in that order)
# Environment: MERIDIAN_STACK_DIR (default <repo>/.stack/run), FAULTS_RATE (requests a second of the drills' load,
# default 20; the soak measures its own).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
[[ -f "$RUN/ports.env" ]] || { echo "no stack in $RUN (deploy/local/stack.sh up)" >&2; exit 1; }
length=short
if [[ "${1:-}" == short || "${1:-}" == long ]]; then length=$1; shift; fi
outage=PT15S; soak=PT45S
[[ "$length" == long ]] && { outage=PT60S; soak=PT10M; }
methods=()
for drill in "$@"; do
  case "$drill" in
    kafka) methods+=("kafka*") ;;
    postgres) methods+=("postgres*") ;;
    moderation) methods+=("moderation*") ;;
    keycloak) methods+=("keycloak*") ;;
    replica) methods+=("aKilled*") ;;
    soak) methods+=("soak*") ;;
    *) echo "unknown drill $drill (kafka, postgres, moderation, keycloak, replica, soak)" >&2; exit 2 ;;
  esac
done
selection=FaultsIT
[[ ${#methods[@]} -gt 0 ]] && selection="FaultsIT#$(IFS=+; echo "${methods[*]}")"
log="$RUN/logs/faults.log"
mkdir -p "$RUN/logs"
cd "$ROOT"
rc=0
./mvnw -B -o test-compile failsafe:integration-test failsafe:verify -pl e2e-tests -Dit.test="$selection" \
  -Dstack.dir="$RUN" -Dfaults.kafka-outage="$outage" -Dfaults.soak="$soak" -Dfaults.rate="${FAULTS_RATE:-20}" \
  > "$log" 2>&1 || rc=$?
grep -E '^FaultsIT |Tests run:|FAILURE|AssertionFailed' "$log" || true
[[ $rc -eq 0 ]] || echo "failed: the whole output is in $log" >&2
exit $rc
