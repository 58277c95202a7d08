#!/usr/bin/env bash
# The lifecycle check from the issue, against the stack infra/up.sh runs: N jobs are submitted while the worker is
# killed (SIGKILL) twice and RabbitMQ is stopped and started once; then every job must end in exactly one final
# state, with one set of artifacts per completed job, and GET /api/v1/jobs must agree with the database.
#   bash bench/chaos.sh [N]        (default 200; loopback only; stops by itself)
set -euo pipefail
# shellcheck source=../infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/env.sh"
N="${1:-200}"
API="http://127.0.0.1:$PORT"
export PGPASSWORD="$DB_PASSWORD"
sql() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USERNAME" -d "$DB_DATABASE" -Atq -c "$1"; }
worker_pid() { ba_read_pid "$BA_DATA_DIR/run/worker.pid"; }

curl -fsS "$API/health" >/dev/null || ba_die "the stack is not running: bash infra/up.sh"
ref="chaos-$(date +%s)"
# A key (and owner) of its own, without the default rate limit and active-job cap (200 submissions in a few seconds).
KEY=$(cd "$(dirname "$BA_API_DLL")" && dotnet "$BA_API_DLL" keys create --name "$ref" --owner "$ref" --scopes submit,read \
  --rate-limit 1000000 --max-concurrent-jobs 1000000 | sed -n 's/^key: //p')
[[ -n "$KEY" ]] || ba_die "could not create an API key (keys create)"
started=$(date +%s)

kill_worker() {
  local pid; pid="$(worker_pid)"
  echo "job $1: kill -9 worker $pid"
  kill -9 "$pid"
  bash "$BA_REPO_ROOT/infra/up.sh" >/dev/null
}

for ((i = 1; i <= N; i++)); do
  code=$(curl -s -o "$BA_DATA_DIR/chaos-last-answer.json" -w '%{http_code}' -X POST "$API/api/v1/jobs" -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
    -d "{\"browserTypeId\":1,\"actionType\":\"screenshot\",\"clientReference\":\"$ref\",\"maxRetries\":5,\"payload\":{\"url\":\"$API/health\",\"viewport\":{\"width\":320,\"height\":240}}}")
  [[ "$code" == 202 ]] || echo "job $i: POST answered $code at $(date +%T): $(head -c 300 "$BA_DATA_DIR/chaos-last-answer.json")"
  case "$i" in
    $((N / 4)) | $((3 * N / 4))) kill_worker "$i" ;;
    $((N / 2)))
      echo "job $i: stopping RabbitMQ"
      bash "$BA_REPO_ROOT/infra/services.sh" stop rabbitmq >/dev/null
      bash "$BA_REPO_ROOT/infra/services.sh" start rabbitmq >/dev/null
      echo "job $i: RabbitMQ started again" ;;
  esac
done
accepted=$(sql "SELECT count(*) FROM automation_jobs WHERE client_reference = '$ref'")
echo "submitted $N, accepted $accepted in $(( $(date +%s) - started )) s; waiting for every job to finish"

deadline=$(( $(date +%s) + 600 ))
while (( $(date +%s) < deadline )); do
  open=$(sql "SELECT count(*) FROM automation_jobs WHERE client_reference = '$ref' AND status IN ('pending','processing')")
  (( open == 0 )) && break
  sleep 2
done

echo "finished after $(( $(date +%s) - started )) s"
sql "SELECT status || ': ' || count(*) FROM automation_jobs WHERE client_reference = '$ref' GROUP BY status ORDER BY status"
twice=$(sql "SELECT count(*) FROM (SELECT l.job_id FROM job_logs l JOIN automation_jobs j ON j.id = l.job_id
  WHERE j.client_reference = '$ref' AND l.message ~ '^Attempt [0-9]+ (completed|failed:)' AND l.level IN ('info','error')
  GROUP BY l.job_id HAVING count(*) <> 1) x")
artifacts=$(sql "SELECT count(*) FROM (SELECT j.id FROM automation_jobs j LEFT JOIN job_artifacts a ON a.job_id = j.id
  WHERE j.client_reference = '$ref' AND j.status = 'completed' GROUP BY j.id HAVING count(a.id) <> 1) x")
listed=$(curl -fsS -H "X-API-Key: $KEY" "$API/api/v1/jobs?status=completed&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
stored=$(sql "SELECT count(*) FROM automation_jobs WHERE owner = '$ref' AND status = 'completed'")
echo "jobs not finished exactly once: $twice; completed jobs without exactly one artifact: $artifacts; listing total $listed, database $stored"
[[ "$open" == 0 && "$twice" == 0 && "$artifacts" == 0 && "$listed" == "$stored" && "$accepted" == "$N" ]]
