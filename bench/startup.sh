#!/usr/bin/env bash
# How long each service takes to start, on the running local stack (deploy/local/stack.sh up first): stops one service
# at a time and starts it again, ROUNDS times, and prints the time Quarkus logs ("started in", from the JVM's start to
# the HTTP server listening) and the time from launching the JVM until /q/health/ready answers UP (polled every 20 ms).
# A start that records the service's start-up archive (the first after a build, see docs/operations.md#start-up) is a
# round of its own, marked "recording", and not counted in the summary; so is, on JDK 25 and newer, the next start,
# which first creates the AOT cache from the recording ("creating").
#   bench/startup.sh [rounds=3] [service...]     (MERIDIAN_SERVICES_JAVA: the JDK the services run on, as stack.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
STACK="$ROOT/deploy/local/stack.sh"
ROUNDS="${1:-3}"
shift || true
SERVICES=("$@")
(( ${#SERVICES[@]} )) || SERVICES=(models-service images-service moderation-service assistants-service admin-service)
[[ -f "$RUN/ports.env" ]] || { echo "no stack in $RUN (deploy/local/stack.sh up)" >&2; exit 1; }

now_ms() { date +%s%3N; }

printf '%-20s %-10s %12s %12s\n' service round "started in" "ready after"
for service in "${SERVICES[@]}"; do
  port="$("$STACK" port "$service")"
  log="$RUN/logs/$service.log"
  started=() ready=()
  round=0
  while (( round < ROUNDS )); do
    "$STACK" stop "$service" > /dev/null 2>&1 || true   # it may be stopped already
    recording=""
    touch "$RUN/startup.mark"
    t0=$(now_ms)
    "$STACK" start "$service" > /dev/null &
    starter=$!
    until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
      kill -0 "$starter" 2>/dev/null || break
      sleep 0.02
    done
    t1=$(now_ms)
    wait "$starter"
    # the JVM of a recording start carries the option that writes its archive at exit
    if ps -o args= -p "$(cat "$RUN/$service.pid")" | grep -q -e ArchiveClassesAtExit -e AOTMode=record; then
      recording=recording
    fi
    # on JDK 25 and newer, the start after the recording one first creates the AOT cache (stack.sh logs it apart)
    [[ "$RUN/logs/$service-aot.log" -nt "$RUN/startup.mark" ]] && recording=creating
    quarkus=$(grep -a -o 'started in [0-9.]*s' "$log" | tail -1 | grep -o '[0-9.]*')
    wall=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.3f", ms / 1000 }')
    if [[ -n "$recording" ]]; then
      printf '%-20s %-10s %11ss %11ss\n' "$service" "$recording" "$quarkus" "$wall"
      continue
    fi
    round=$((round + 1))
    started+=("$quarkus") ready+=("$wall")
    printf '%-20s %-10s %11ss %11ss\n' "$service" "$round" "$quarkus" "$wall"
  done
  printf '%-20s %-10s %11ss %11ss\n' "$service" median \
    "$(printf '%s\n' "${started[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
    "$(printf '%s\n' "${ready[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
done
