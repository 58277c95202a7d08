# shellcheck shell=bash disable=SC2034
# Shared defaults for the infra scripts. Source it; do not run it.
# Every variable can be overridden from the environment.

BA_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BA_REPO_ROOT
export BA_DATA_DIR="${BA_DATA_DIR:-$BA_REPO_ROOT/.data}"

export DB_HOST="${DB_HOST:-127.0.0.1}"
export DB_PORT="${DB_PORT:-5432}"
export DB_USERNAME="${DB_USERNAME:-automation_user}"
export DB_PASSWORD="${DB_PASSWORD:-automation_pass}"
export DB_DATABASE="${DB_DATABASE:-browser_automation}"

export RABBITMQ_HOST="${RABBITMQ_HOST:-127.0.0.1}"
export RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
export RABBITMQ_USERNAME="${RABBITMQ_USERNAME:-guest}"
export RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
export RABBITMQ_VHOST="${RABBITMQ_VHOST:-/}"
export RABBITMQ_MANAGEMENT_PORT="${RABBITMQ_MANAGEMENT_PORT:-15672}"

# s3rver, the S3-compatible server of the tests and of ARTIFACT_STORAGE_TYPE=s3 on this machine (infra/services.sh).
# Its credentials are fixed by s3rver itself: S3RVER / S3RVER.
export BA_S3_PORT="${BA_S3_PORT:-4568}"
export BA_S3_BUCKET="${BA_S3_BUCKET:-browser-automation-artifacts}"

export PORT="${PORT:-3000}"
export WORKER_HTTP_PORT="${WORKER_HTTP_PORT:-3001}"

# Local secrets, generated once per checkout under .data/secrets (readable only by their owner); deployments set
# their own. ba_local_secret VAR FILE COMMAND exports VAR from FILE, creating FILE with COMMAND's output first.
ba_local_secret() {
  local var="$1" file="$BA_DATA_DIR/secrets/$2"
  shift 2
  [[ -z "${!var:-}" ]] || return 0
  if [[ ! -s "$file" ]]; then
    (umask 077 && mkdir -p "$(dirname "$file")" && "$@" >"$file")
  fi
  export "$var=$(cat "$file")"
}
# The key that encrypts form values, cookies and credentials at rest (the API and workers must share it).
ba_local_secret SECRETS_ENCRYPTION_KEY encryption.key sh -c 'head -c 32 /dev/urandom | base64'
# The bootstrap admin API key of the local quick start (X-API-Key or Authorization: Bearer).
ba_local_secret API_BOOTSTRAP_ADMIN_KEY admin.key sh -c 'printf "ba_%s\n" "$(head -c 32 /dev/urandom | base64 | tr "+/" "-_" | tr -d "=")"'

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The hosts to run: the Release build by default; set BA_API_DLL / BA_WORKER_DLL to run another build (a publish folder).
BA_API_DLL="${BA_API_DLL:-$BA_REPO_ROOT/src/BrowserAutomation.Api/bin/Release/net10.0/BrowserAutomation.Api.dll}"
BA_WORKER_DLL="${BA_WORKER_DLL:-$BA_REPO_ROOT/src/BrowserAutomation.Worker/bin/Release/net10.0/BrowserAutomation.Worker.dll}"

ba_log() { printf '%s\n' "$*"; }
ba_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
ba_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when $1 names a live process.
ba_pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null
}

ba_read_pid() {
  if [[ -f "$1" ]]; then head -n1 "$1" | tr -dc '0-9'; fi
}

# Runs the Api's `migrate` verb (apply EF migrations, then exit) with the current DB_* settings.
# The content root is the current directory, so run from the output folder where the
# appsettings*.json files are. The timeout guards against an Api build that ignores the verb
# and starts serving instead.
ba_migrate() {
  local log="$BA_DATA_DIR/logs/migrate.log" timeout_s="${BA_MIGRATE_TIMEOUT:-180}"
  mkdir -p "$BA_DATA_DIR/logs"
  [[ -f "$BA_API_DLL" ]] || ba_die "$BA_API_DLL not found; build first"
  local rc=0
  (cd "$(dirname "$BA_API_DLL")" && timeout "$timeout_s" dotnet "$BA_API_DLL" migrate) >"$log" 2>&1 || rc=$?
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    ((rc == 124)) && ba_die "migrate did not exit within ${timeout_s}s (does the Api support the 'migrate' verb?); log: $log"
    ba_die "migrate failed with exit code $rc against database $DB_DATABASE; log: $log"
  fi
  ba_log "migrations applied to $DB_DATABASE"
}

ba_build() {
  local log="$BA_DATA_DIR/logs/build.log"
  mkdir -p "$BA_DATA_DIR/logs"
  ba_log "building BrowserAutomation.sln (Release) ..."
  if ! (cd "$BA_REPO_ROOT" && dotnet build BrowserAutomation.sln -c Release --nologo -v minimal -clp:NoSummary) >"$log" 2>&1; then
    # Each diagnostic is printed twice by MSBuild (in place and in the summary).
    grep -E ': (error|warning) ' "$log" | sort -u | head -n 50 >&2 || tail -n 30 "$log" >&2
    ba_die "build failed; full log: $log"
  fi
}
