#!/usr/bin/env bash
# Quality and speed of the built-in moderation engine on a labelled JSONL file (default: the dev set):
# per-category and macro AUPRC, precision/recall/F1 at the configured thresholds, texts/s, p50/p99 per text.
#   bench/moderation-eval.sh [file.jsonl] [--fast | --lexical]  (--fast: engine builtin-fast; --lexical: the lexical model alone)
# It also counts the flags on the short texts of moderation-service/training/check-benign.txt and check-harmful.txt.
# With "train" first, refits the weights instead (on the labelled file and moderation-service/training/texts.txt) and
# prints their cross-validated AUPRC:
#   bench/moderation-eval.sh train [file.jsonl] [--lambda 2] [--embedding-lambda 0.1] [--token-lambda 0.3] [--blend 0.35] [--folds 5] [--repeats 3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/moderation-service"
CP_FILE="$MODULE/target/eval.classpath"
# Compiled in the reactor, so the sibling modules resolve to their target/classes without being installed; the
# classpath file is written for each module in turn and moderation-service, the last, is what stays.
if [[ ! -f "$CP_FILE" || "$MODULE/pom.xml" -nt "$CP_FILE" || "$ROOT/pom.xml" -nt "$CP_FILE" \
      || ! -d "$MODULE/target/classes/builtin" ]]; then
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl moderation-service -am compile dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >&2
fi
CP="$MODULE/target/classes:$(cat "$CP_FILE")"
# ONNX Runtime leaves an empty directory in the temporary directory of every JVM that loads it: keep them in target
JAVA=(java "-Djava.io.tmpdir=$MODULE/target")
if [[ "${1:-}" == train ]]; then
  shift
  DATA="${1:-$ROOT/../shared/moderation-eval/dev.jsonl}"; shift || true
  exec "${JAVA[@]}" -cp "$CP" dev.meridian.moderation.builtin.training.Train "$DATA" "$MODULE/src/main/resources/builtin" \
    --texts "$MODULE/training/texts.txt" "$@"
fi
exec "${JAVA[@]}" -cp "$CP" dev.meridian.moderation.builtin.training.Evaluate "${1:-$ROOT/../shared/moderation-eval/dev.jsonl}" "${@:2}" \
  --checks "$MODULE/training"
