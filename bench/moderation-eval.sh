#!/usr/bin/env bash
# Quality and speed of the built-in moderation engine on a labelled JSONL file (default: the dev set):
# per-category and macro AUPRC, precision/recall/F1 at the configured thresholds, texts/s, p50/p99 per text.
#   bench/moderation-eval.sh [file.jsonl] [--fast | --lexical]  (--fast: engine builtin-fast; --lexical: the lexical model alone)
# It also counts the flags on the short texts of moderation-training/data/check-benign.txt and check-harmful.txt.
# With "train" first, refits the weights instead (on the labelled file and moderation-training/data/texts.txt) and
# prints their cross-validated AUPRC:
#   bench/moderation-eval.sh train [file.jsonl] [--lambda 2] [--embedding-lambda 0.01] [--gamma 3] [--token-lambda 0.3] [--blend 0.35] [--folds 5] [--repeats 3]
# With "calibrate" first, measures the range of each activation the embedding model quantises over the labelled and
# written texts and every token alone (builtin/activation-ranges.tsv); "train" has to run after it:
#   bench/moderation-eval.sh calibrate [file.jsonl]
# With "datasets" first, measures what the public datasets of ../shared/moderation-data add (cross-validated on the dev
# set; nothing is written; see docs/moderation.md):
#   bench/moderation-eval.sh datasets [--embedding tokens|sentence] [--no-datasets] [--grams] [--sources] [--dev-weight 3] [--c 1] [--embedding-scale 1]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/moderation-classpath.sh"
if [[ "${1:-}" == calibrate ]]; then
  shift
  exec "${JAVA[@]}" -cp "$CP" dev.meridian.moderation.training.Calibrate \
    "${1:-$ROOT/../shared/moderation-eval/dev.jsonl}" "$MODULE/data/texts.txt" "$BUILTIN/src/main/resources/builtin"
fi
if [[ "${1:-}" == datasets ]]; then
  shift
  exec "${JAVA[@]}" -Xmx8g -cp "$CP" dev.meridian.moderation.training.DatasetStudy \
    "$ROOT/../shared/moderation-eval/dev.jsonl" "$ROOT/../shared/moderation-data" "$@"
fi
if [[ "${1:-}" == train ]]; then
  shift
  DATA="$ROOT/../shared/moderation-eval/dev.jsonl"
  if [[ $# -gt 0 && "$1" != --* ]]; then DATA="$1"; shift; fi
  exec "${JAVA[@]}" -cp "$CP" dev.meridian.moderation.training.Train "$DATA" "$BUILTIN/src/main/resources/builtin" \
    --texts "$MODULE/data/texts.txt" "$@"
fi
# the file is optional: flags alone evaluate the dev set
DATA="$ROOT/../shared/moderation-eval/dev.jsonl"
if [[ $# -gt 0 && "$1" != --* ]]; then DATA="$1"; shift; fi
exec "${JAVA[@]}" -cp "$CP" dev.meridian.moderation.training.Evaluate "$DATA" "$@" --checks "$MODULE/data"
