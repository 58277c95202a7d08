#!/usr/bin/env bash
# The bench in one invocation: every row of the performance table (P1-P5) with its same-run baselines, printed as a
# Markdown table. Start the stack first with the simulated engine admitted and no backlog bound in the way:
#   SIMULATED_ENGINE_ENABLED=true QUEUE_MAX_DEPTH_PER_ENGINE=1000000 bash infra/up.sh
# then:  bash bench/run.sh [--quick] [--only P1,P3] [other options of bench/BrowserAutomation.Bench/BenchOptions.cs]
# P3 and P4 start their own simulated worker (WORKER_ENGINES=simulated) from this checkout's Release build and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh

dotnet build bench/BrowserAutomation.Bench -c Release --nologo -v quiet -clp:NoSummary >/dev/null
dotnet build src/BrowserAutomation.Worker -c Release --nologo -v quiet -clp:NoSummary >/dev/null

# A key without rate or concurrency limits, so the limits do not become what is measured.
if [[ -z "${BA_API_KEY:-}" ]]; then
  BA_API_KEY="$(cd "$(dirname "$BA_API_DLL")" && dotnet "$BA_API_DLL" keys create --name "bench-$(date +%s)" --owner bench \
    --scopes submit,read --rate-limit 1000000 --max-concurrent-jobs 1000000 | sed -n 's/^key: //p')"
  export BA_API_KEY
fi

exec dotnet bench/BrowserAutomation.Bench/bin/Release/net10.0/BrowserAutomation.Bench.dll --run-dir "$BA_DATA_DIR/run" "$@"
