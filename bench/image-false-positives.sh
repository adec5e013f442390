#!/usr/bin/env bash
# How often the built-in image classifier takes abstract images for sexual content: it classifies the procedural
# engine's images (gradients and soft discs, nothing sexual in them) as the moderation engine does (PNG decoded,
# resized, model), and prints per size the share scoring at or over 0.35 (the review's text threshold for sexual),
# 0.5 (the request threshold), 0.7, 0.8 and 0.9 (meridian.moderation.builtin.images.threshold), the highest score,
# and milliseconds per image.
#   bench/image-false-positives.sh [images per size=500]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/moderation-classpath.sh"
if [[ ! -f "$ROOT/images-service/target/classes/dev/meridian/images/engine/ProceduralEngine.class" ]]; then
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl images-service -am compile >&2
fi
exec "${JAVA[@]}" -cp "$CP:$ROOT/images-service/target/classes" "$ROOT/bench/ImageFalsePositives.java" "${1:-500}"
