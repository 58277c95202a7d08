#!/usr/bin/env bash
# Stops what infra/up.sh started: the API and worker (by their pid files), then PostgreSQL
# and RabbitMQ (infra/services.sh stop). Data under .data is kept.
#   infra/down.sh [--apps-only]      (--apps-only: stop the API and worker, leave PostgreSQL and RabbitMQ running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

RUN_DIR="$BA_DATA_DIR/run"

stop_app() {
  local name="$1" dll="$2" pid
  pid="$(ba_read_pid "$RUN_DIR/$name.pid")"
  if ! ba_pid_alive "$pid" || ! tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$dll"; then
    ba_log "$name: not running"
    rm -f "$RUN_DIR/$name.pid"
    return 0
  fi
  kill -TERM "$pid"
  # The .NET host allows 30 s for graceful shutdown by default; give it a little more.
  local deadline=$((SECONDS + 35))
  while ba_pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if ba_pid_alive "$pid"; then
    kill -KILL "$pid"
    ba_log "$name: killed (pid $pid) after graceful shutdown timed out"
  else
    ba_log "$name: stopped"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

stop_app worker "$BA_WORKER_DLL"
stop_app api "$BA_API_DLL"
if [[ "${1:-}" != "--apps-only" ]]; then
  bash "$BA_REPO_ROOT/infra/services.sh" stop
fi
