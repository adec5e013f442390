# Sourced by the bench scripts that run moderation-service's classes outside Quarkus: sets ROOT, MODULE, CP (the
# module's classes and runtime dependencies) and JAVA, compiling first when the classpath file is missing or stale.
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
