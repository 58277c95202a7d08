#!/usr/bin/env bash
# Project-local PostgreSQL 15, RabbitMQ (with management UI) and s3rver (an S3-compatible server for
# ARTIFACT_STORAGE_TYPE=s3 and the tests), bound to 127.0.0.1, with all data under $BA_DATA_DIR
# (default <repo>/.data). Run as root.
#
#   infra/services.sh start  [postgres|rabbitmq|s3]   start (or reuse) and provision
#   infra/services.sh stop   [postgres|rabbitmq|s3]   stop only what our pid files name
#   infra/services.sh status [postgres|rabbitmq|s3]   one line per service; exit 3 if any is down
#
# s3rver listens on BA_S3_PORT (access key S3RVER, secret S3RVER) and creates the bucket $BA_S3_BUCKET.
# Ports: DB_PORT, RABBITMQ_PORT, RABBITMQ_MANAGEMENT_PORT (Erlang distribution: RABBITMQ_PORT+20000).
# A second checkout running at the same time needs other ports and BA_RABBITMQ_NODENAME.
# Extra databases ($BA_EXTRA_DATABASES) and vhosts ($BA_EXTRA_VHOSTS), space separated, are
# created on every start, so a reused server gets them too. Data is never deleted.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

BA_EXTRA_DATABASES="${BA_EXTRA_DATABASES:-}"
BA_EXTRA_VHOSTS="${BA_EXTRA_VHOSTS:-}"
READY_TIMEOUT="${BA_SERVICES_TIMEOUT:-60}"

PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$BA_DATA_DIR/pg"
PG_LOG="$BA_DATA_DIR/logs/postgresql.log"

RMQ_NODENAME="${BA_RABBITMQ_NODENAME:-ba@localhost}"
RMQ_DIR="$BA_DATA_DIR/rabbitmq"
RMQ_MNESIA="$RMQ_DIR/mnesia"
RMQ_LOGDIR="$RMQ_DIR/log"
RMQ_CONFDIR="$RMQ_DIR/config"
RMQ_PIDFILE="$RMQ_DIR/rabbitmq.pid"
RMQ_DIST_PORT=$((RABBITMQ_PORT + 20000))
RMQ_API="http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/api"

as_postgres() { runuser -u postgres -- "$@"; }

# Postgres and RabbitMQ drop root, so every directory above their data must be traversable
# by their users; a clone under a 700 home directory would otherwise fail obscurely.
ensure_traversable() {
  local user="$1" dir="$2" path="" part
  local -a parts
  IFS=/ read -ra parts <<<"${dir#/}"
  # From the root down: a directory only counts as reachable once its parents are.
  for part in "${parts[@]}"; do
    path+="/$part"
    [[ -d "$path" ]] || break
    if ! runuser -u "$user" -- test -x "$path"; then
      chmod o+x "$path"
      ba_log "note: chmod o+x $path so that $user can reach $dir"
    fi
  done
}

# The socket lives in the data dir (mode 700, so only postgres can use it), unless that path
# would exceed the ~107-byte limit on Unix socket paths.
pg_socket_dir() {
  if ((${#PG_DATA} + 20 <= 100)); then
    echo "$PG_DATA"
  else
    echo "/tmp/ba-pg-$(printf '%s' "$PG_DATA" | md5sum | cut -c1-12)"
  fi
}

pg_running() {
  [[ -f "$PG_DATA/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_pid() { ba_read_pid "$PG_DATA/postmaster.pid"; }
# postmaster.pid: line 4 is the port, line 5 the socket directory.
pg_running_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9'; }
pg_running_socket() { sed -n 5p "$PG_DATA/postmaster.pid" 2>/dev/null; }

pg_psql() {
  as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_running_socket)" -p "$(pg_running_port)" \
    -U postgres -d postgres "$@"
}

pg_init() {
  if [[ -f "$PG_DATA/PG_VERSION" ]]; then
    [[ "$(cat "$PG_DATA/PG_VERSION")" == 15 ]] ||
      ba_die "$PG_DATA holds a PostgreSQL $(cat "$PG_DATA/PG_VERSION") cluster, expected 15"
    return
  fi
  if [[ -d "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA")" ]]; then
    ba_die "$PG_DATA is not empty but holds no PostgreSQL cluster; move it away (data is never deleted)"
  fi
  mkdir -p "$PG_DATA"
  chown postgres:postgres "$PG_DATA"
  chmod 700 "$PG_DATA"
  # Local (socket) connections are only reachable by postgres itself; TCP needs a password.
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$BA_DATA_DIR/logs/initdb.log" 2>&1 ||
    { tail -n 20 "$BA_DATA_DIR/logs/initdb.log" >&2; ba_die "initdb failed"; }
  ba_log "postgres: initialised cluster in $PG_DATA"
}

pg_provision() {
  pg_psql -v user="$DB_USERNAME" -v pw="$DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'pw') \gexec
-- Lets the local role drop its own databases WITH (FORCE) even while an autovacuum worker is in one of them
-- (the tests create and drop a database per fixture); it cannot signal superuser processes.
SELECT format('GRANT pg_signal_backend TO %I', :'user') \gexec
SQL
  local db
  for db in $DB_DATABASE $BA_EXTRA_DATABASES; do
    pg_psql -v user="$DB_USERNAME" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'user') \gexec
SQL
  done
}

pg_start() {
  mkdir -p "$BA_DATA_DIR/logs"
  ensure_traversable postgres "$BA_DATA_DIR"
  pg_init
  if pg_running; then
    local port
    port="$(pg_running_port)"
    [[ "$port" == "$DB_PORT" ]] ||
      ba_die "our PostgreSQL is already running on port $port, not DB_PORT=$DB_PORT; run infra/services.sh stop first"
    ba_port_open "$DB_PORT" || ba_die "our PostgreSQL (pid $(pg_pid)) runs but 127.0.0.1:$DB_PORT does not answer"
    ba_log "postgres: reusing running server (pid $(pg_pid))"
  else
    ba_port_open "$DB_PORT" &&
      ba_die "port 127.0.0.1:$DB_PORT is taken by another process (not our PostgreSQL); stop it or set DB_PORT"
    local sock
    sock="$(pg_socket_dir)"
    if [[ "$sock" != "$PG_DATA" ]]; then
      mkdir -p "$sock" && chown postgres:postgres "$sock" && chmod 700 "$sock"
    fi
    touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$READY_TIMEOUT" \
      -o "-c listen_addresses=127.0.0.1 -c port=$DB_PORT -c unix_socket_directories='$sock'" \
      start >/dev/null; then
      tail -n 30 "$PG_LOG" >&2
      ba_die "PostgreSQL did not start (log: $PG_LOG)"
    fi
    ba_log "postgres: started (pid $(pg_pid))"
  fi
  pg_provision
}

pg_stop() {
  if pg_running; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    ba_log "postgres: stopped"
  else
    ba_log "postgres: not running"
  fi
}

pg_status() {
  if pg_running; then
    ba_log "postgres: running (pid $(pg_pid)) on 127.0.0.1:$(pg_running_port), data $PG_DATA"
  else
    ba_log "postgres: stopped (data $PG_DATA)"
    return 3
  fi
}

# The pid file names our node only if that process is a beam whose environment has our
# mnesia dir: pids get reused after a reboot.
rmq_pid() {
  local pid
  pid="$(ba_read_pid "$RMQ_PIDFILE")"
  ba_pid_alive "$pid" || return 1
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "RABBITMQ_MNESIA_BASE=$RMQ_MNESIA" || return 1
  echo "$pid"
}

rmq_ready() {
  ba_port_open "$RABBITMQ_PORT" &&
    curl -fsS -o /dev/null --max-time 3 -u guest:guest "$RMQ_API/overview" 2>/dev/null
}

rmq_write_config() {
  mkdir -p "$RMQ_MNESIA" "$RMQ_LOGDIR" "$RMQ_CONFDIR"
  chown rabbitmq:rabbitmq "$RMQ_DIR" "$RMQ_MNESIA" "$RMQ_LOGDIR" "$RMQ_CONFDIR"
  cat >"$RMQ_CONFDIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
EOF
  echo '[rabbitmq_management].' >"$RMQ_CONFDIR/enabled_plugins"
  chown rabbitmq:rabbitmq "$RMQ_CONFDIR/rabbitmq.conf" "$RMQ_CONFDIR/enabled_plugins"
}

rmq_log_tail() {
  local f
  for f in "$RMQ_LOGDIR/$RMQ_NODENAME.log" "$BA_DATA_DIR/logs/rabbitmq-start.log"; do
    [[ -s "$f" ]] && { echo "--- tail of $f" >&2; tail -n 30 "$f" >&2; }
  done
  return 0
}

rmq_wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  until rmq_ready; do
    if ((SECONDS >= deadline)); then
      rmq_log_tail
      ba_die "RabbitMQ not ready after ${READY_TIMEOUT}s (amqp 127.0.0.1:$RABBITMQ_PORT, management 127.0.0.1:$RABBITMQ_MANAGEMENT_PORT)"
    fi
    # Once the pid file is written, a vanished process means the boot failed.
    if [[ -s "$RMQ_PIDFILE" ]] && ! rmq_pid >/dev/null; then
      rmq_log_tail
      ba_die "RabbitMQ exited during start-up"
    fi
    sleep 0.5
  done
}

urlencode() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [a-zA-Z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  echo "$out"
}

json_string() {
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}

rmq_api_put() {
  curl -fsS -o /dev/null --max-time 10 -u guest:guest -H 'content-type: application/json' \
    -X PUT "$RMQ_API/$1" -d "$2" || ba_die "RabbitMQ management API PUT /api/$1 failed"
}

rmq_provision() {
  local users=(guest) vhosts=() v u
  [[ "$RABBITMQ_USERNAME" != guest ]] && users+=("$RABBITMQ_USERNAME")
  [[ "$RABBITMQ_VHOST" != / ]] && vhosts+=("$RABBITMQ_VHOST")
  for v in $BA_EXTRA_VHOSTS; do vhosts+=("$v"); done
  if [[ "$RABBITMQ_USERNAME" != guest ]]; then
    rmq_api_put "users/$(urlencode "$RABBITMQ_USERNAME")" \
      "{\"password\":$(json_string "$RABBITMQ_PASSWORD"),\"tags\":\"administrator\"}"
    rmq_api_put "permissions/%2F/$(urlencode "$RABBITMQ_USERNAME")" '{"configure":".*","write":".*","read":".*"}'
  fi
  for v in "${vhosts[@]}"; do
    rmq_api_put "vhosts/$(urlencode "$v")" '{}'
    for u in "${users[@]}"; do
      rmq_api_put "permissions/$(urlencode "$v")/$(urlencode "$u")" '{"configure":".*","write":".*","read":".*"}'
    done
  done
}

rmq_start() {
  local pid
  rmq_write_config
  ensure_traversable rabbitmq "$RMQ_DIR"
  if pid="$(rmq_pid)"; then
    rmq_wait_ready
    ba_log "rabbitmq: reusing running node $RMQ_NODENAME (pid $pid)"
  else
    local p
    for p in "$RABBITMQ_PORT" "$RABBITMQ_MANAGEMENT_PORT" "$RMQ_DIST_PORT"; do
      ba_port_open "$p" &&
        ba_die "port 127.0.0.1:$p is taken by another process (not our RabbitMQ); stop it or set RABBITMQ_PORT/RABBITMQ_MANAGEMENT_PORT"
    done
    rm -f "$RMQ_PIDFILE"
    mkdir -p "$BA_DATA_DIR/logs"
    # Our client settings (RABBITMQ_HOST, RABBITMQ_PORT, ...) share the RABBITMQ_ prefix with
    # the server's own variables, so the server gets an environment without them.
    (
      cd /
      env -u RABBITMQ_HOST -u RABBITMQ_PORT -u RABBITMQ_USERNAME -u RABBITMQ_PASSWORD \
        -u RABBITMQ_VHOST -u RABBITMQ_MANAGEMENT_PORT -u RABBITMQ_NODE_PORT -u RABBITMQ_NODE_IP_ADDRESS \
        RABBITMQ_NODENAME="$RMQ_NODENAME" \
        RABBITMQ_CONFIG_FILE="$RMQ_CONFDIR/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_CONFDIR/enabled_plugins" \
        RABBITMQ_MNESIA_BASE="$RMQ_MNESIA" \
        RABBITMQ_LOG_BASE="$RMQ_LOGDIR" \
        RABBITMQ_PID_FILE="$RMQ_PIDFILE" \
        RABBITMQ_DIST_PORT="$RMQ_DIST_PORT" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        ERL_EPMD_ADDRESS=127.0.0.1 \
        rabbitmq-server -detached
    ) >"$BA_DATA_DIR/logs/rabbitmq-start.log" 2>&1 </dev/null ||
      { rmq_log_tail; ba_die "rabbitmq-server -detached failed"; }
    rmq_wait_ready
    ba_log "rabbitmq: started node $RMQ_NODENAME (pid $(rmq_pid || echo '?'))"
  fi
  rmq_provision
}

rmq_stop() {
  local pid
  if ! pid="$(rmq_pid)"; then
    ba_log "rabbitmq: not running"
    return 0
  fi
  # SIGTERM makes the Erlang VM shut RabbitMQ down cleanly, without a ~1 s rabbitmqctl start-up.
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while ba_pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      ba_die "RabbitMQ (pid $pid) still running 60 s after SIGTERM"
    fi
    sleep 0.2
  done
  rm -f "$RMQ_PIDFILE"
  ba_log "rabbitmq: stopped"
}

rmq_status() {
  local pid
  if pid="$(rmq_pid)"; then
    if rmq_ready; then
      ba_log "rabbitmq: running (pid $pid, node $RMQ_NODENAME) amqp 127.0.0.1:$RABBITMQ_PORT, management http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT"
    else
      ba_log "rabbitmq: process $pid alive but not answering on 127.0.0.1:$RABBITMQ_PORT / :$RABBITMQ_MANAGEMENT_PORT"
      return 3
    fi
  else
    ba_log "rabbitmq: stopped (data $RMQ_DIR)"
    return 3
  fi
}

S3_DIR="$BA_DATA_DIR/s3rver"
S3_PIDFILE="$S3_DIR/s3rver.pid"
S3_BIN="$BA_REPO_ROOT/infra/s3rver/node_modules/s3rver/bin/s3rver.js"

s3_pid() {
  local pid
  pid="$(ba_read_pid "$S3_PIDFILE")"
  ba_pid_alive "$pid" && [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *s3rver* ]] && echo "$pid"
}

s3_start() {
  local pid
  if pid="$(s3_pid)"; then
    ba_log "s3rver: reusing running server (pid $pid) on 127.0.0.1:$BA_S3_PORT"
    return 0
  fi
  [[ -f "$S3_BIN" ]] || ba_die "s3rver is not installed; run infra/install-deps.sh"
  ba_port_open "$BA_S3_PORT" && ba_die "port 127.0.0.1:$BA_S3_PORT is taken by another process (not our s3rver); set BA_S3_PORT"
  mkdir -p "$S3_DIR/data" "$BA_DATA_DIR/logs"
  nohup node "$S3_BIN" --directory "$S3_DIR/data" --address 127.0.0.1 --port "$BA_S3_PORT" --silent \
    --configure-bucket "$BA_S3_BUCKET" >"$BA_DATA_DIR/logs/s3rver.log" 2>&1 </dev/null &
  echo $! >"$S3_PIDFILE"
  local deadline=$((SECONDS + READY_TIMEOUT))
  until ba_port_open "$BA_S3_PORT"; do
    ba_pid_alive "$(ba_read_pid "$S3_PIDFILE")" || { tail -n 20 "$BA_DATA_DIR/logs/s3rver.log" >&2; ba_die "s3rver exited at start"; }
    ((SECONDS < deadline)) || ba_die "s3rver did not listen on 127.0.0.1:$BA_S3_PORT within ${READY_TIMEOUT}s"
    sleep 0.2
  done
  ba_log "s3rver: started (pid $(ba_read_pid "$S3_PIDFILE")) http://127.0.0.1:$BA_S3_PORT bucket $BA_S3_BUCKET"
}

s3_stop() {
  local pid
  if ! pid="$(s3_pid)"; then
    ba_log "s3rver: not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 20))
  while ba_pid_alive "$pid"; do
    ((SECONDS < deadline)) || ba_die "s3rver (pid $pid) still running 20 s after SIGTERM"
    sleep 0.2
  done
  rm -f "$S3_PIDFILE"
  ba_log "s3rver: stopped"
}

s3_status() {
  local pid
  if pid="$(s3_pid)" && ba_port_open "$BA_S3_PORT"; then
    ba_log "s3rver: running (pid $pid) http://127.0.0.1:$BA_S3_PORT (data $S3_DIR/data)"
  else
    ba_log "s3rver: stopped (data $S3_DIR/data)"
    return 3
  fi
}

print_connection_info() {
  local db
  ba_log "PostgreSQL  postgresql://$DB_USERNAME:$DB_PASSWORD@127.0.0.1:$DB_PORT/$DB_DATABASE"
  for db in $BA_EXTRA_DATABASES; do
    ba_log "            postgresql://$DB_USERNAME:$DB_PASSWORD@127.0.0.1:$DB_PORT/$db"
  done
  ba_log "RabbitMQ    amqp://$RABBITMQ_USERNAME:$RABBITMQ_PASSWORD@127.0.0.1:$RABBITMQ_PORT (vhosts: /${BA_EXTRA_VHOSTS:+ $BA_EXTRA_VHOSTS})"
  ba_log "            management http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT (guest/guest)"
  ba_log "S3 (s3rver) http://127.0.0.1:$BA_S3_PORT bucket $BA_S3_BUCKET (S3RVER/S3RVER)"
}

main() {
  local cmd="${1:-}" which="${2:-all}"
  case "$which" in all | postgres | rabbitmq | s3) ;; *) ba_die "unknown service '$which' (postgres|rabbitmq|s3)" ;; esac
  case "$cmd" in
    start)
      [[ "$(id -u)" == 0 ]] || ba_die "run as root (initdb and rabbitmq-server switch users)"
      [[ "$which" == rabbitmq || "$which" == s3 ]] || pg_start
      [[ "$which" == postgres || "$which" == s3 ]] || rmq_start
      [[ "$which" != all && "$which" != s3 ]] || s3_start
      [[ "$which" != all ]] || print_connection_info
      ;;
    stop)
      [[ "$which" != all && "$which" != s3 ]] || s3_stop
      [[ "$which" == postgres || "$which" == s3 ]] || rmq_stop
      [[ "$which" == rabbitmq || "$which" == s3 ]] || pg_stop
      ;;
    status)
      local rc=0
      if [[ "$which" == all || "$which" == postgres ]]; then pg_status || rc=3; fi
      if [[ "$which" == all || "$which" == rabbitmq ]]; then rmq_status || rc=3; fi
      if [[ "$which" == all || "$which" == s3 ]]; then s3_status || rc=3; fi
      return "$rc"
      ;;
    *)
      echo "usage: $0 start|stop|status [postgres|rabbitmq|s3]" >&2
      exit 2
      ;;
  esac
}

main "$@"
