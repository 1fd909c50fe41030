#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for development and
# tests, run from Maven Central jars: no Docker, no Kafka distribution, only Java 17 and Maven.
#
#   scripts/kafka.sh start    fetch jars if missing, format storage once, start, wait until ready
#   scripts/kafka.sh stop     stop the broker started here (by its pid), keeping its data
#   scripts/kafka.sh status   exit 0 when running and accepting clients
#   scripts/kafka.sh fetch    only fetch the jars (offline first, then online)
#   scripts/kafka.sh format   fetch jars if missing, write the config and format storage; no start
#   scripts/kafka.sh clean    stop, then wipe the data (topics, offsets); jars are kept
#   scripts/kafka.sh logs     print the broker log's path and its last lines
#
# Environment:
#   STORMWATCH_KAFKA_DIR              state folder (default <repo>/.kafka): lib/, data/, logs/, kafka.pid
#   STORMWATCH_KAFKA_PORT             client port on 127.0.0.1 (default 19092)
#   STORMWATCH_KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1 (default 19093)
#   STORMWATCH_KAFKA_HEAP_OPTS        JVM heap options (default -Xms128m -Xmx512m)
#   STORMWATCH_KAFKA_READY_TIMEOUT    seconds to wait for readiness on start (default 90)
#   STORMWATCH_KAFKA_STOP_TIMEOUT     seconds between SIGTERM and SIGKILL on stop (default 30)
# See docs/kafka-local.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KDIR="${STORMWATCH_KAFKA_DIR:-$ROOT/.kafka}"
LIB="$KDIR/lib"
DATA="$KDIR/data"
LOGS="$KDIR/logs"
CONF="$KDIR/server.properties"
PIDFILE="$KDIR/kafka.pid"
POM="$ROOT/scripts/kafka/pom.xml"
LOGCONF="$ROOT/scripts/kafka/log4j2.properties"
READY="$ROOT/scripts/kafka/ready.mjs"
PORT="${STORMWATCH_KAFKA_PORT:-19092}"
CPORT="${STORMWATCH_KAFKA_CONTROLLER_PORT:-19093}"
HEAP_OPTS="${STORMWATCH_KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
READY_TIMEOUT="${STORMWATCH_KAFKA_READY_TIMEOUT:-90}"
STOP_TIMEOUT="${STORMWATCH_KAFKA_STOP_TIMEOUT:-30}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { echo "kafka.sh: $*"; }
die() { echo "kafka.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%03d s' $((ms / 1000)) $((ms % 1000)); }

# Serialize start/stop/clean/fetch of one state folder between concurrent callers.
lock() {
  mkdir -p "$KDIR"
  exec 9>"$KDIR/.lock"
  flock -w 300 9 || die "could not lock $KDIR/.lock within 300 s"
}

# The version pinned in the pom: the jar set is (re)fetched when it changes.
pom_stamp() { sha256sum "$POM" | cut -c1-16; }

fetch() {
  local stamp
  stamp="$(pom_stamp)"
  if [[ -f "$LIB/.complete" && "$(cat "$LIB/.complete")" == "$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven is needed once to fetch the Kafka jars"
  local t0 tmp
  t0=$(now_ms)
  tmp="$KDIR/lib.tmp.$$"
  rm -rf "$tmp"
  local mvn_args=(-B -q -Dstyle.color=never -f "$POM" "-Dkafka.lib.dir=$tmp" dependency:copy-dependencies)
  # Offline first (works with a warm ~/.m2 and no network), then online.
  if ! mvn -o "${mvn_args[@]}" >"$KDIR/fetch.log" 2>&1; then
    rm -rf "$tmp"
    say "fetching Kafka jars from Maven Central..."
    if ! mvn "${mvn_args[@]}" >"$KDIR/fetch.log" 2>&1; then
      rm -rf "$tmp"
      cat "$KDIR/fetch.log" >&2
      die "could not fetch the Kafka jars (log: $KDIR/fetch.log)"
    fi
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "fetch produced no kafka_2.13 jar in $tmp"
  echo "$stamp" >"$tmp/.complete"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  say "jars ready in $LIB ($(ls "$LIB" | wc -l) files, $(elapsed "$t0"))"
}

# The pid of our broker if it is alive and really our broker (guards against a recycled pid).
broker_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready_check() { # timeout_seconds [pid]
  node "$READY" "127.0.0.1:$PORT" "$(($1 * 1000))" ${2:+"$2"} 9>&-
}

write_config() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$CONF" <<EOF
# Written by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# One broker: every internal topic with replication factor 1.
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Tests create their topics; groups join without the 3 s initial delay; short sessions allowed.
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000

# After an unclean stop (SIGKILL) the restarted broker waits for its previous incarnation's session
# to expire before it is unfenced: 9 s by default, ~2 s here.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=2000

# Compaction tests: the cleaner looks for work every second (default 15 s).
log.cleaner.backoff.ms=1000

# A 2-core machine.
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

# A saved cluster id is reused when it is one Kafka itself would generate: 22 URL-safe base64
# characters, not starting with "-" (Kafka's Uuid.randomUuid never does: an option parser reads such
# an id as an option). Anything else, e.g. an id saved by an older version of this script, is replaced.
valid_cluster_id() { [[ "$1" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]]; }

storage_tool() {
  "$JAVA" -Xmx256m -cp "$LIB/*" "-Dlog4j2.configurationFile=$LOGCONF" "-Dkafka.logs.dir=$LOGS" kafka.tools.StorageTool "$@"
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id=""
  [[ -f "$KDIR/cluster.id" ]] && cluster_id="$(cat "$KDIR/cluster.id")"
  if ! valid_cluster_id "$cluster_id"; then
    [[ -n "$cluster_id" ]] && say "replacing the saved cluster id '$cluster_id' (not a valid Kafka cluster id)"
    cluster_id="$(storage_tool random-uuid 2>>"$LOGS/format.log" | tail -n 1)" || die "kafka-storage random-uuid failed (log: $LOGS/format.log)"
    valid_cluster_id "$cluster_id" || die "kafka-storage random-uuid gave '$cluster_id'"
    echo "$cluster_id" >"$KDIR/cluster.id"
  fi
  # --cluster-id=<id> in one argument, so no id can be read as an option.
  if ! storage_tool format "--cluster-id=$cluster_id" -c "$CONF" --ignore-formatted >"$LOGS/format.log" 2>&1; then
    cat "$LOGS/format.log" >&2
    die "formatting $DATA failed"
  fi
}

start() {
  lock
  local pid t0
  if pid="$(broker_pid)"; then
    if ready_check 30 "$pid"; then
      say "already running (pid $pid) on 127.0.0.1:$PORT"
      return 0
    fi
    die "broker pid $pid is running but not ready on 127.0.0.1:$PORT (log: $LOGS/server.log)"
  fi
  rm -f "$PIDFILE"
  port_in_use "$PORT" && die "port $PORT is already in use by another process (set STORMWATCH_KAFKA_PORT)"
  port_in_use "$CPORT" && die "port $CPORT is already in use by another process (set STORMWATCH_KAFKA_CONTROLLER_PORT)"
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (Kafka 4 needs Java 17+)"
  fetch
  t0=$(now_ms)
  write_config
  format_storage
  # A new session (setsid) so the caller's Ctrl-C or process group does not take the broker down;
  # the pid is written by the shell that then becomes java (exec), so it is the broker's own pid.
  # All three standard streams go to files: a caller reading our output through a pipe must not
  # wait for the broker to close it.
  # shellcheck disable=SC2086
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    "$JAVA" $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOGCONF" "-Dkafka.logs.dir=$LOGS" \
    -cp "$LIB/*" kafka.Kafka "$CONF" \
    </dev/null >"$LOGS/stdout.log" 2>&1 9>&- &
  local waited=0
  while [[ ! -s "$PIDFILE" ]] && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "broker did not start (see $LOGS/stdout.log)"
  if ! ready_check "$READY_TIMEOUT" "$pid"; then
    echo "--- last lines of $LOGS/server.log:" >&2
    tail -n 30 "$LOGS/server.log" >&2 2>/dev/null || true
    tail -n 30 "$LOGS/stdout.log" >&2 2>/dev/null || true
    stop_pid "$pid" >/dev/null || true
    rm -f "$PIDFILE"
    die "broker did not become ready on 127.0.0.1:$PORT"
  fi
  say "ready on 127.0.0.1:$PORT (pid $pid) in $(elapsed "$t0")"
}

stop_pid() {
  local pid="$1" t0 deadline
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while kill -0 "$pid" 2>/dev/null; do
    if (($(now_ms) > deadline)); then
      say "pid $pid still running after ${STOP_TIMEOUT} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  say "stopped (pid $pid) in $(elapsed "$t0")"
}

stop() {
  lock
  local pid
  if pid="$(broker_pid)"; then
    stop_pid "$pid"
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
}

status() {
  local pid
  if pid="$(broker_pid)"; then
    if ready_check 5 "$pid" 2>/dev/null; then
      say "running and ready (pid $pid) on 127.0.0.1:$PORT"
      return 0
    fi
    say "running (pid $pid) but not ready on 127.0.0.1:$PORT"
    return 1
  fi
  say "not running"
  return 3
}

clean() {
  stop
  rm -rf "$DATA" "$KDIR/cluster.id" "$CONF"
  say "data wiped ($DATA)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) lock; fetch ;;
  format) lock; fetch; write_config; format_storage; say "storage formatted in $DATA (cluster id $(cat "$KDIR/cluster.id"))" ;;
  clean) clean ;;
  logs) echo "$LOGS/server.log"; tail -n "${2:-50}" "$LOGS/server.log" 2>/dev/null || true ;;
  *) echo "usage: $0 start|stop|status|fetch|format|clean|logs [lines]" >&2; exit 64 ;;
esac
