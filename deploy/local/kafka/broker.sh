#!/usr/bin/env bash
# Local Apache Kafka 4.x broker for Traceport dev and tests: one combined
# broker+controller KRaft node, jars from Maven Central (via Maven), no Docker.
#
#   broker.sh prepare   fetch jars (first run only), write server.properties,
#                       format KRaft storage if not yet formatted. Idempotent.
#   broker.sh run       prepare, then exec the broker in the foreground
#                       (the pid stays the java pid). SIGTERM/SIGINT = controlled,
#                       clean shutdown; the JVM then exits with 143 (128+15),
#                       resp. 130, which a supervisor should treat as a clean stop.
#   broker.sh reset     delete the data dir (topics, offsets, cluster id).
#   broker.sh status    say whether something answers on the broker port.
#
# Environment (all optional):
#   TRACEPORT_CACHE_DIR    default <repo>/.cache   jars in $TRACEPORT_CACHE_DIR/kafka/libs
#   TRACEPORT_RUN_DIR      default <repo>/.run     data in $TRACEPORT_RUN_DIR/kafka
#   KAFKA_DATA_DIR         default $TRACEPORT_RUN_DIR/kafka
#   KAFKA_PORT             default 9092  (PLAINTEXT, 127.0.0.1)
#   KAFKA_CONTROLLER_PORT  default 9093  (CONTROLLER, 127.0.0.1)
#   KAFKA_HEAP_OPTS        default "-Xms256m -Xmx512m"
#   KAFKA_JVM_OPTS         extra JVM flags, appended
#   KAFKA_LOG_LEVEL        default INFO (root / kafka loggers)
#   KAFKA_LOG4J_CONFIG     default deploy/local/kafka/log4j2.xml
#   KAFKA_CDS              default 1; 0 = no class-data-sharing archive (see cds_opts)
#   JAVA                   default: java on PATH (or $JAVA_HOME/bin/java); needs Java >= 17
#   MVN                    default: mvn on PATH
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"

CACHE_DIR="${TRACEPORT_CACHE_DIR:-$REPO_ROOT/.cache}"
RUN_DIR="${TRACEPORT_RUN_DIR:-$REPO_ROOT/.run}"
LIBS_DIR="$CACHE_DIR/kafka/libs"
DATA_DIR="${KAFKA_DATA_DIR:-$RUN_DIR/kafka}"
LOG_DIRS="$DATA_DIR/logs"
PROPS="$DATA_DIR/server.properties"
POM="$HERE/pom.xml"
LOG4J_CONFIG="${KAFKA_LOG4J_CONFIG:-$HERE/log4j2.xml}"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-INFO}"

log() { printf 'kafka: %s\n' "$*" >&2; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------

find_java() {
  if [[ -n "${JAVA:-}" ]]; then
    JAVA_BIN="$(command -v "$JAVA" || true)"
    [[ -n "$JAVA_BIN" && -x "$JAVA_BIN" ]] || die "JAVA=$JAVA is not an executable java. Point it at a Java 17+ runtime, or unset it."
  elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA_BIN="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA_BIN="$(command -v java)"
  else
    die "'java' not found. Kafka 4.x needs a Java 17+ runtime: install one (Debian/Ubuntu: 'apt-get install -y openjdk-17-jre-headless') or set JAVA_HOME / JAVA."
  fi
  local v major
  JAVA_VERSION_OUT="$("$JAVA_BIN" -version 2>&1)" || die "'$JAVA_BIN -version' failed: $JAVA_VERSION_OUT"
  v="$(awk -F'"' '/version/ {print $2; exit}' <<<"$JAVA_VERSION_OUT")"
  major="${v%%.*}"
  [[ "$major" == "1" ]] && major="$(cut -d. -f2 <<<"$v")"
  if [[ ! "$major" =~ ^[0-9]+$ ]] || (( major < 17 )); then
    die "$JAVA_BIN is Java '${v:-unknown}'; Kafka 4.x brokers need Java 17 or newer (Debian/Ubuntu: 'apt-get install -y openjdk-17-jre-headless', then set JAVA_HOME)."
  fi
}

find_mvn() {
  MVN_BIN="${MVN:-}"
  if [[ -z "$MVN_BIN" ]]; then
    command -v mvn >/dev/null 2>&1 \
      || die "'mvn' not found; it is needed once to fetch the Kafka jars from Maven Central into $LIBS_DIR. Install Apache Maven (Debian/Ubuntu: 'apt-get install -y maven') or set MVN."
    MVN_BIN="$(command -v mvn)"
  fi
}

# --- jars --------------------------------------------------------------------

# The stamp ties the jar folder to the pom it came from: editing pom.xml
# (e.g. bumping the Kafka version) triggers a clean re-fetch.
pom_stamp() { sha256sum "$POM" | cut -d' ' -f1; }

jars_ready() {
  [[ -f "$LIBS_DIR/.stamp" ]] && [[ "$(cat "$LIBS_DIR/.stamp")" == "$(pom_stamp)" ]] \
    && compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null
}

fetch_jars() {
  jars_ready && return 0
  find_mvn
  log "resolving broker jars from Maven Central (first run only)..."
  local tmp="$LIBS_DIR.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$LIBS_DIR")"
  local mvn_log="$CACHE_DIR/kafka/mvn.log"
  # Output goes to a log (quiet mode still prints stray ANSI resets); shown on failure.
  if ! "$MVN_BIN" -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    rm -rf "$tmp"
    grep -E '\[(ERROR|WARNING)\]' "$mvn_log" | tail -n 20 >&2 || tail -n 20 "$mvn_log" >&2
    die "mvn could not resolve the Kafka jars (full log: $mvn_log). Is Maven Central reachable?"
  fi
  pom_stamp >"$tmp/.stamp"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  log "jars ready in $LIBS_DIR ($(find "$LIBS_DIR" -name '*.jar' | wc -l) jars, $(basename "$(compgen -G "$LIBS_DIR/kafka_2.13-*.jar" | head -n1)"))"
}

# --- config + storage ----------------------------------------------------------

write_props() {
  mkdir -p "$DATA_DIR" "$LOG_DIRS"
  local tmp="$PROPS.tmp.$$"
  cat >"$tmp" <<EOF
# Generated by deploy/local/kafka/broker.sh on every prepare/run: edit the script, not this file.
# Single combined broker+controller KRaft node for local dev and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

log.dirs=${LOG_DIRS}
metadata.log.dir=${LOG_DIRS}

# The platform creates its topics explicitly.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
delete.topic.enable=true

# Small footprint, short retention: this is throwaway local data.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
log.retention.hours=24
log.retention.bytes=268435456
log.segment.bytes=67108864
log.retention.check.interval.ms=60000
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=8388608
EOF
  mv "$tmp" "$PROPS"
}

is_formatted() { [[ -f "$LOG_DIRS/meta.properties" ]]; }

# Kafka-style cluster id: 16 random bytes, URL-safe base64, no padding,
# not starting with '-' (it would look like a CLI flag).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && { printf '%s' "$id"; return; }
  done
}

classpath() { printf '%s/*' "$LIBS_DIR"; }

format_storage() {
  is_formatted && return 0
  local cid
  cid="$(new_cluster_id)"
  log "formatting KRaft storage in $LOG_DIRS (cluster id $cid)..."
  "$JAVA_BIN" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.loglevel=WARN \
    -cp "$(classpath)" kafka.tools.StorageTool \
    format --config "$PROPS" --cluster-id "$cid" --ignore-formatted >&2 \
    || die "formatting KRaft storage failed (see above). 'broker.sh reset' wipes $DATA_DIR."
}

prepare() {
  find_java
  fetch_jars
  write_props
  format_storage
}

# --- run -----------------------------------------------------------------------

# Application class-data sharing (AppCDS): the first `run` with a given JDK and
# jar set writes a class archive when the broker exits; later runs map it and
# start roughly twice as fast (less class loading/verification on 2 cores).
# The archive lives inside the libs folder, so a re-fetch drops it, and its name
# is keyed by the JDK build. A stale or broken archive is ignored by the JVM.
# KAFKA_CDS=0 turns this off.
cds_opts() {
  [[ "${KAFKA_CDS:-1}" == "0" ]] && return 0
  local dir="$LIBS_DIR/.cds" key archive tmp pid
  key="$(printf '%s\n%s\n' "$(readlink -f "$JAVA_BIN")" "$JAVA_VERSION_OUT" | sha256sum | cut -c1-16)"
  archive="$dir/broker-$key.jsa"
  mkdir -p "$dir"
  # Promote an archive written at exit by an earlier run (its java is gone).
  for tmp in "$archive".tmp.*; do
    [[ -e "$tmp" ]] || continue
    pid="${tmp##*.}"
    if ! kill -0 "$pid" 2>/dev/null; then
      if [[ ! -e "$archive" && -s "$tmp" ]]; then mv -f "$tmp" "$archive"; else rm -f "$tmp"; fi
    fi
  done
  if [[ -f "$archive" ]]; then
    CDS_OPTS=(-XX:SharedArchiveFile="$archive" -Xlog:cds=error,cds+dynamic=error)
  else
    log "no class-data archive yet for this JDK: one is written when this broker exits, later starts are faster"
    # After `exec`, $$ is the java pid: the next run knows when the dump is complete.
    CDS_OPTS=(-XX:ArchiveClassesAtExit="$archive.tmp.$$" -Xlog:cds=error,cds+dynamic=error)
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run() {
  prepare
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_in_use "$p" && die "127.0.0.1:$p is already in use (another broker running?). Stop it, or set KAFKA_PORT / KAFKA_CONTROLLER_PORT."
  done
  CDS_OPTS=()
  cds_opts
  log "starting broker on 127.0.0.1:$KAFKA_PORT (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT), data in $DATA_DIR"
  # C1 only (TieredStopAtLevel=1): this broker starts with every platform run and lives minutes, and
  # C2 spent them compiling — a tenth of a core through a whole capture benchmark, more than the
  # broker's own work. C1's code is slower at peak, which a one-node local broker never reaches.
  # shellcheck disable=SC2086  # heap/JVM opts are intentionally word-split
  exec "$JAVA_BIN" \
    $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxMetaspaceSize=192m \
    -XX:ReservedCodeCacheSize=64m -XX:CICompilerCount=2 -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    "${CDS_OPTS[@]}" \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.root.loglevel="$KAFKA_LOG_LEVEL" \
    -Dkafka.logs.dir="$DATA_DIR" \
    ${KAFKA_JVM_OPTS:-} \
    -cp "$(classpath)" kafka.Kafka "$PROPS"
}

reset() {
  # Refuse to rm something obviously wrong.
  [[ -n "$DATA_DIR" && "$DATA_DIR" != "/" ]] || die "refusing to delete data dir '$DATA_DIR'"
  if [[ -d "$DATA_DIR" ]]; then
    port_in_use "$KAFKA_PORT" && log "warning: something still answers on 127.0.0.1:$KAFKA_PORT; stop the broker before reset"
    rm -rf "$DATA_DIR"
    log "deleted $DATA_DIR"
  else
    log "nothing to reset ($DATA_DIR does not exist)"
  fi
}

status() {
  if port_in_use "$KAFKA_PORT"; then
    log "something answers on 127.0.0.1:$KAFKA_PORT"
  else
    log "nothing answers on 127.0.0.1:$KAFKA_PORT"; return 1
  fi
}

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  reset) reset ;;
  status) status ;;
  -h|--help|help) usage ;;
  "") usage; exit 2 ;;
  *) printf "kafka: unknown command '%s'\n\n" "$1" >&2; usage; exit 2 ;;
esac
