#!/usr/bin/env bash
# A CPU flame graph of one part of the running local stack (deploy/local/stack.sh up first), with async-profiler
# (fetched once from Maven Central into the stack's cache): profiles for the given seconds while you drive load,
# e.g.   bench/profile.sh models-service 20 & bench/hotpaths.sh 15 32 "models-service directly"
#   bench/profile.sh SERVICE|edge [seconds=20] [out=SERVICE-flame.html]
# The sampling is on process CPU time (itimer), which needs no perf_events permission.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
CACHE="${MERIDIAN_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meridian/stack}"
AP_VERSION=4.2
PART="${1:?which part: models-service, images-service, moderation-service, assistants-service, admin-service or edge}"
SECONDS_TO_PROFILE="${2:-20}"
OUT="$(realpath -m "${3:-$PART-flame.html}")"
[[ -f "$RUN/$PART.pid" ]] || { echo "no $PART running in $RUN (deploy/local/stack.sh up)" >&2; exit 1; }
PID="$(cat "$RUN/$PART.pid")"

LIB="$CACHE/async-profiler-$AP_VERSION/linux-x64/libasyncProfiler.so"
if [[ ! -f "$LIB" ]]; then
  mkdir -p "$CACHE/async-profiler-$AP_VERSION"
  jar="$CACHE/async-profiler-$AP_VERSION/async-profiler.jar"
  curl -fsSL -o "$jar" \
    "https://repo.maven.apache.org/maven2/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION-linux-x64.jar"
  (cd "$CACHE/async-profiler-$AP_VERSION" && unzip -q -o "$jar" 'linux-x64/*')
fi

java "$ROOT/bench/Attach.java" "$PID" "$LIB" "start,event=itimer,interval=1ms"
echo "profiling $PART (pid $PID) for $SECONDS_TO_PROFILE s"
sleep "$SECONDS_TO_PROFILE"
java "$ROOT/bench/Attach.java" "$PID" "$LIB" "stop,file=$OUT,title=$PART"
echo "flame graph: $OUT"
