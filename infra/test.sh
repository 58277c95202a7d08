#!/usr/bin/env bash
# Builds the solution and runs every test project under tests/ against a project-local
# PostgreSQL (database browser_automation_test) and RabbitMQ (vhost ba-test).
# Services this script starts are stopped again when it ends; running ones are reused.
# The last line is "N passed, N failed[, N skipped]"; the exit code is non-zero when a test
# failed, a test project could not run, or no test ran at all.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

RESULTS_DIR="$BA_DATA_DIR/test-results"
TEST_DATABASE=browser_automation_test
TEST_VHOST=ba-test

started=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local svc
  for svc in "${started[@]}"; do
    bash "$BA_REPO_ROOT/infra/services.sh" stop "$svc" >/dev/null || true
  done
}
trap cleanup EXIT

bash "$BA_REPO_ROOT/infra/install-deps.sh"
# The bus-client test runs a Node.js process with amqplib (versions pinned by package-lock.json).
npm ci --prefix "$BA_REPO_ROOT/tests/node-client" --no-audit --no-fund --loglevel=error >/dev/null

for svc in postgres rabbitmq s3; do
  bash "$BA_REPO_ROOT/infra/services.sh" status "$svc" >/dev/null || started+=("$svc")
done
BA_EXTRA_DATABASES="$TEST_DATABASE ${BA_EXTRA_DATABASES:-}" BA_EXTRA_VHOSTS="$TEST_VHOST ${BA_EXTRA_VHOSTS:-}" \
  bash "$BA_REPO_ROOT/infra/services.sh" start >/dev/null

export DB_DATABASE="$TEST_DATABASE" RABBITMQ_VHOST="$TEST_VHOST" BA_TEST=1

ba_build
ba_migrate

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

mapfile -t projects < <(find "$BA_REPO_ROOT/tests" -mindepth 2 -maxdepth 2 -name '*.csproj' | sort)
((${#projects[@]} > 0)) || ba_die "no test projects under tests/"

broken=()
for proj in "${projects[@]}"; do
  name="$(basename "$proj" .csproj)"
  ba_log "=== $name"
  rc=0
  # A hung test fails its project after 10 min instead of eating the CI budget.
  dotnet test "$proj" --no-build -c Release --nologo --verbosity minimal \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS_DIR" \
    --blame-hang-timeout 10m --blame-hang-dump-type none || rc=$?
  if [[ ! -s "$RESULTS_DIR/$name.trx" ]]; then
    broken+=("$name (dotnet test exit $rc, no results)")
  elif ((rc != 0)); then
    # A non-zero exit with no failed test in the TRX means the run itself broke (crash, abort).
    grep -q '<UnitTestResult [^>]*outcome="Failed"' "$RESULTS_DIR/$name.trx" ||
      broken+=("$name (dotnet test exit $rc, no failed test recorded)")
  fi
done

# Count each result's outcome: xunit's skipped tests appear as outcome="NotExecuted" but are
# not counted in the <Counters notExecuted=...> attribute.
read -r passed failed skipped < <(python3 - "$RESULTS_DIR" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for e in ET.parse(path).getroot().iter():
        if not e.tag.endswith("UnitTestResult"):
            continue
        outcome = e.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "NotRunnable", "Pending"):
            skipped += 1
        else:
            failed += 1
print(passed, failed, skipped)
PY
)

status=0
for b in "${broken[@]}"; do
  echo "test project failed to run: $b" >&2
  status=1
done
((failed == 0)) || status=1
if ((passed + failed == 0)); then
  echo "no test ran" >&2
  status=1
fi

summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo "$summary"
exit "$status"
