#!/usr/bin/env bash
# Quick start: dependencies, PostgreSQL + RabbitMQ, build, migrate, then the API and one
# worker in the background. Safe to run again: whatever already runs is reused.
# Stop everything with infra/down.sh.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

RUN_DIR="$BA_DATA_DIR/run"
LOG_DIR="$BA_DATA_DIR/logs"
HEALTH_URL="http://127.0.0.1:$PORT/health"
HEALTH_TIMEOUT="${BA_HEALTH_TIMEOUT:-60}"

# A pid file names our process only if that pid still runs our dll (pids get reused).
app_pid() {
  local pid dll="$2"
  pid="$(ba_read_pid "$RUN_DIR/$1.pid")"
  ba_pid_alive "$pid" || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$dll" || return 1
  echo "$pid"
}

start_app() {
  local name="$1" dll="$2"
  shift 2
  : >>"$LOG_DIR/$name.log"
  # The marker is a JSON line too when the log is (LOG_FORMAT=json, the quick start's default): one object per line.
  if [[ "${LOG_FORMAT:-json}" == json ]]; then
    printf '{"timestamp":"%s","level":"information","category":"infra/up.sh","message":"starting %s"}\n' \
      "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$name" >>"$LOG_DIR/$name.log"
  else
    printf '\n=== %s starting %s\n' "$(date -Is)" "$name" >>"$LOG_DIR/$name.log"
  fi
  # setsid: the process outlives this script and a Ctrl-C in the terminal that ran it.
  (cd "$(dirname "$dll")" && exec env "$@" setsid dotnet "$dll") >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

# The engines whose browser is installed, as WORKER_ENGINES lists them (the worker's default paths, or the *_EXECUTABLE_PATH overrides).
installed_engines() {
  local found=()
  [[ -x "${CHROMIUM_EXECUTABLE_PATH:-/usr/lib/chromium/chromium-headless-shell}" ]] && found+=(chromium)
  [[ -x "${FIREFOX_EXECUTABLE_PATH:-/usr/lib/firefox-esr/firefox-esr}" ]] && found+=(firefox)
  local IFS=,
  echo "${found[*]}"
}

print_urls() {
  cat <<EOF

API           http://127.0.0.1:$PORT/
OpenAPI UI    http://127.0.0.1:$PORT/swagger
Health        $HEALTH_URL
Worker        http://127.0.0.1:$WORKER_HTTP_PORT/health/ready (health and metrics of the worker; /health/live)
RabbitMQ UI   http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT (guest/guest)
Admin API key in $BA_DATA_DIR/secrets/admin.key (send it as X-API-Key; make tenant keys with
              dotnet $BA_API_DLL keys create --name NAME --owner OWNER --scopes submit,read)
Logs          $LOG_DIR/{api,worker}.log (JSON lines; LOG_FORMAT=text for plain text)
Stop with     infra/down.sh
EOF
}

bash "$BA_REPO_ROOT/infra/install-deps.sh"
bash "$BA_REPO_ROOT/infra/services.sh" start
mkdir -p "$RUN_DIR" "$LOG_DIR"

api_pid="$(app_pid api "$BA_API_DLL" || true)"
worker_pid="$(app_pid worker "$BA_WORKER_DLL" || true)"

if [[ -n "$api_pid" && -n "$worker_pid" ]]; then
  ba_log "api (pid $api_pid) and worker (pid $worker_pid) already running; reusing them (infra/down.sh to restart)"
  print_urls
  exit 0
fi

if [[ -z "$api_pid" ]] && ba_port_open "$PORT"; then
  ba_die "port 127.0.0.1:$PORT is taken by another process (not our API); stop it or set PORT"
fi

if [[ -z "$worker_pid" ]] && ba_port_open "$WORKER_HTTP_PORT"; then
  ba_die "port 127.0.0.1:$WORKER_HTTP_PORT is taken by another process (not our worker); stop it or set WORKER_HTTP_PORT"
fi

ba_build
ba_migrate

# The local quick start lets jobs visit pages served on this machine's 127.0.0.1 (the URL policy denies loopback
# and private addresses otherwise); the API checks submitted URLs with the same policy as the worker.
# URL_ALLOWED_NETWORKS= (empty) denies them here too.
export URL_ALLOWED_NETWORKS="${URL_ALLOWED_NETWORKS-127.0.0.1/32}"

# One worker serves every engine installed here (Mobile Chrome / Mobile Firefox are browser types on the same engines);
# WORKER_ENGINES set by the caller wins. The API admits jobs for the same engines (SERVED_ENGINES, unless set by the
# caller): they wait in their queues while the worker restarts, instead of being refused.
engines="${WORKER_ENGINES:-$(installed_engines)}"
[[ -n "$engines" ]] || ba_die "no browser engine found (chromium-headless-shell, firefox-esr); run infra/install-deps.sh"
served="${SERVED_ENGINES:-$engines}"

if [[ -n "$api_pid" ]]; then
  ba_log "api: already running (pid $api_pid), reusing"
else
  start_app api "$BA_API_DLL" LOG_FORMAT="${LOG_FORMAT:-json}" SERVED_ENGINES="$served" ASPNETCORE_URLS="http://127.0.0.1:$PORT"
  ba_log "api: started (pid $(cat "$RUN_DIR/api.pid")), serving engines $served"
fi
if [[ -n "$worker_pid" ]]; then
  ba_log "worker: already running (pid $worker_pid), reusing"
else
  start_app worker "$BA_WORKER_DLL" LOG_FORMAT="${LOG_FORMAT:-json}" WORKER_ENGINES="$engines" ASPNETCORE_URLS="http://127.0.0.1:$WORKER_HTTP_PORT"
  ba_log "worker: started (pid $(cat "$RUN_DIR/worker.pid")) for engines $engines"
fi

deadline=$((SECONDS + HEALTH_TIMEOUT))
until curl -fsS -o /dev/null --max-time 2 "$HEALTH_URL" 2>/dev/null; do
  if ! app_pid api "$BA_API_DLL" >/dev/null; then
    tail -n 40 "$LOG_DIR/api.log" >&2
    ba_die "the API exited during start-up (log: $LOG_DIR/api.log)"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 40 "$LOG_DIR/api.log" >&2
    ba_die "$HEALTH_URL did not answer 200 within ${HEALTH_TIMEOUT}s (log: $LOG_DIR/api.log)"
  fi
  sleep 0.5
done
ba_log "api: healthy"

if ! app_pid worker "$BA_WORKER_DLL" >/dev/null; then
  tail -n 40 "$LOG_DIR/worker.log" >&2
  ba_die "the worker exited during start-up (log: $LOG_DIR/worker.log)"
fi

print_urls
