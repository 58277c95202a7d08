#!/usr/bin/env bash
# The lifecycle check from the issue, against the stack infra/up.sh runs: N jobs are submitted while the worker is
# killed (SIGKILL) twice and RabbitMQ is stopped and started once; then every job must end in exactly one final
# state, with one set of artifacts per completed job, and GET /api/v1/jobs must agree with the database.
# Each killed worker stays down for CHAOS_WORKER_DOWN_S seconds (default 20, longer than WORKER_STALE_AFTER_MS) while
# submissions go on: every submission must be accepted (202). The pass line is "0 refused, 0 lost, 0 finished twice".
#   bash bench/chaos.sh [N]        (default 200; loopback only; stops by itself)
set -euo pipefail
# shellcheck source=../infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/env.sh"
N="${1:-200}"
DOWN_S="${CHAOS_WORKER_DOWN_S:-20}"
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

# The worker is down from a kill until restart_at (seconds since the epoch; 0 = running).
restart_at=0
kill_worker() {
  local pid; pid="$(worker_pid)"
  echo "job $1: kill -9 worker $pid; submissions go on while it is down for ${DOWN_S} s"
  kill -9 "$pid"
  restart_at=$(( $(date +%s) + DOWN_S ))
}
restart_worker_when_due() {
  if (( restart_at > 0 && $(date +%s) >= restart_at )); then
    bash "$BA_REPO_ROOT/infra/up.sh" >/dev/null
    echo "job $1: worker restarted"
    restart_at=0
  fi
}

refused=0
declare -A refused_by_code=()
accepted_ids="$BA_DATA_DIR/chaos-accepted-$ref.txt"
: >"$accepted_ids"
submit() {
  local code
  code=$(curl -s -o "$BA_DATA_DIR/chaos-last-answer.json" -w '%{http_code}' -X POST "$API/api/v1/jobs" -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
    -d "{\"browserTypeId\":1,\"actionType\":\"screenshot\",\"clientReference\":\"$ref\",\"maxRetries\":5,\"payload\":{\"url\":\"$API/health\",\"viewport\":{\"width\":320,\"height\":240}}}")
  if [[ "$code" == 202 ]]; then
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jobId"])' "$BA_DATA_DIR/chaos-last-answer.json" >>"$accepted_ids"
  else
    refused=$((refused + 1))
    refused_by_code[$code]=$(( ${refused_by_code[$code]:-0} + 1 ))
    echo "job $1: REFUSED, POST answered $code at $(date +%T): $(head -c 300 "$BA_DATA_DIR/chaos-last-answer.json")"
  fi
}

for ((i = 1; i <= N; i++)); do
  submit "$i"
  restart_worker_when_due "$i"
  # While the worker is down, submissions go on at a pace that spans the whole outage.
  (( restart_at > 0 )) && sleep 0.2
  case "$i" in
    $((N / 4)) | $((3 * N / 4))) kill_worker "$i" ;;
    $((N / 2)))
      echo "job $i: stopping RabbitMQ"
      bash "$BA_REPO_ROOT/infra/services.sh" stop rabbitmq >/dev/null
      bash "$BA_REPO_ROOT/infra/services.sh" start rabbitmq >/dev/null
      echo "job $i: RabbitMQ started again" ;;
  esac
done
if (( restart_at > 0 )); then
  sleep $(( restart_at - $(date +%s) > 0 ? restart_at - $(date +%s) : 0 ))
  restart_worker_when_due "$N"
fi
accepted=$(sql "SELECT count(*) FROM automation_jobs WHERE client_reference = '$ref'")
answered_202=$(wc -l <"$accepted_ids")
codes=""
for code in "${!refused_by_code[@]}"; do codes+=" $code x${refused_by_code[$code]}"; done
echo "submitted $N, answered 202: $answered_202, refused: $refused${codes:+ (by status:$codes)}, stored: $accepted in $(( $(date +%s) - started )) s; waiting for every job to finish"

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
# Lost: answered 202 but not stored, or not in a final state at the end.
ids=$(paste -sd, "$accepted_ids" | sed "s/[^,]\+/'&'/g")
finished_ids=0
if [[ -n "$ids" ]]; then
  finished_ids=$(sql "SELECT count(*) FROM automation_jobs WHERE id IN ($ids) AND status NOT IN ('pending','processing')")
fi
lost=$(( answered_202 - finished_ids ))
echo "jobs not finished exactly once: $twice; completed jobs without exactly one artifact: $artifacts; listing total $listed, database $stored"
echo "RESULT: $refused refused, $lost lost, $twice finished twice (pass: 0 refused, 0 lost, 0 finished twice)"
[[ "$refused" == 0 && "$lost" == 0 && "$open" == 0 && "$twice" == 0 && "$artifacts" == 0 && "$listed" == "$stored" && "$accepted" == "$N" ]]
