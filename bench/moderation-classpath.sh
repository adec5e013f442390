# Sourced by the bench scripts that run the built-in moderation classifier outside Quarkus: sets ROOT, MODULE (the
# moderation-training tool), BUILTIN (moderation-builtin, whose artifacts it writes), CP (the tool's classes and runtime
# dependencies) and JAVA, compiling first when the classpath file is missing or stale.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/moderation-training"
BUILTIN="$ROOT/moderation-builtin"
CP_FILE="$MODULE/target/eval.classpath"
# Compiled in the reactor, so moderation-builtin resolves to its target/classes without being installed; the classpath
# file is written for each module in turn and moderation-training, the last, is what stays.
if [[ ! -f "$CP_FILE" || "$MODULE/pom.xml" -nt "$CP_FILE" || "$BUILTIN/pom.xml" -nt "$CP_FILE" \
      || "$ROOT/pom.xml" -nt "$CP_FILE" || ! -d "$BUILTIN/target/classes/builtin" ]]; then
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl moderation-training -am process-classes dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >&2
fi
CP="$MODULE/target/classes:$BUILTIN/target/classes:$(cat "$CP_FILE")"
# ONNX Runtime leaves an empty directory in the temporary directory of every JVM that loads it: keep them in target;
# the thresholds Evaluate applies are moderation-service's
JAVA=(java "-Djava.io.tmpdir=$MODULE/target"
  "-Dmoderation.config=$ROOT/moderation-service/src/main/resources/application.properties")
