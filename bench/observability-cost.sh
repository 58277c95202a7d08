#!/usr/bin/env bash
# What metrics and tracing cost: the benchmark in alternating rounds against the quick-start stack, once with
# observability off (ENABLE_METRICS=false, OTEL_SDK_DISABLED=true) and once fully on (metrics scraped every 5 s from
# both processes, every span exported over OTLP/HTTP to a sink on loopback). Rounds alternate which mode goes first
# (off-on, on-off, ...), so a machine that slows down or speeds up during the run does not favour either mode.
# Prints each round and the median ratio.
#   bash bench/observability-cost.sh [ROUNDS] [JOBS] [CONCURRENCY]     (defaults 4, 60, 4; loopback only)
set -euo pipefail
# shellcheck source=../infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/env.sh"
ROUNDS="${1:-4}" JOBS="${2:-60}" CONCURRENCY="${3:-4}" WARMUP="${BA_BENCH_WARMUP:-30}"
BENCH_DLL="$BA_REPO_ROOT/bench/BrowserAutomation.Bench/bin/Release/net10.0/BrowserAutomation.Bench.dll"
[[ -f "$BENCH_DLL" ]] || dotnet build "$BA_REPO_ROOT/bench/BrowserAutomation.Bench" -c Release --nologo -v quiet >/dev/null

# An OTLP/HTTP sink that accepts and drops every export (the collector's cost is not the service's).
SINK_PORT=4318
python3 - "$SINK_PORT" <<'PY' &
import sys, http.server
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf'); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Sink).serve_forever()
PY
sink_pid=$!
scraper_pid=""
cleanup() {
  [[ -n "$scraper_pid" ]] && kill "$scraper_pid" 2>/dev/null || true
  kill "$sink_pid" 2>/dev/null || true
}
trap cleanup EXIT

key() {
  (cd "$(dirname "$BA_API_DLL")" && dotnet "$BA_API_DLL" keys create --name "obs-cost-$1" --owner obs-cost --scopes submit,read \
    --rate-limit 1000000 --max-concurrent-jobs 1000000 | sed -n 's/^key: //p')
}

# CPU time (user + system, ms) a quick-start process has used so far: where the cost of each mode goes.
cpu_ms() {
  local pid ticks
  pid="$(ba_read_pid "$BA_DATA_DIR/run/$1.pid")"
  ticks="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

run_round() {
  local mode="$1" round="$2"
  bash "$BA_REPO_ROOT/infra/down.sh" --apps-only >/dev/null
  if [[ "$mode" == on ]]; then
    ENABLE_METRICS=true OTEL_SDK_DISABLED=false OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" \
      OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf bash "$BA_REPO_ROOT/infra/up.sh" >/dev/null
    ( while true; do curl -fsS "http://127.0.0.1:$PORT/metrics" >/dev/null 2>&1; curl -fsS "http://127.0.0.1:$WORKER_HTTP_PORT/metrics" >/dev/null 2>&1; sleep 5; done ) &
    scraper_pid=$!
  else
    ENABLE_METRICS=false OTEL_SDK_DISABLED=true bash "$BA_REPO_ROOT/infra/up.sh" >/dev/null
  fi
  local out rate raw api_cpu worker_cpu bench_key
  bench_key="$(key "$mode-$round")"
  # A warm-up pass first: what is measured is the steady state of a long-running service, not its start-up (JIT,
  # connection pools, the browser's first pages), which differs between the modes and would be counted per job.
  BA_API_KEY="$bench_key" dotnet "$BENCH_DLL" --jobs "$WARMUP" --concurrency "$CONCURRENCY" >/dev/null
  api_cpu="$(cpu_ms api)" worker_cpu="$(cpu_ms worker)"
  out="$(BA_API_KEY="$bench_key" dotnet "$BENCH_DLL" --jobs "$JOBS" --concurrency "$CONCURRENCY")"
  api_cpu=$(( ($(cpu_ms api) - api_cpu) / (2 * JOBS + 5) )) worker_cpu=$(( ($(cpu_ms worker) - worker_cpu) / (2 * JOBS + 5) ))
  if [[ -n "$scraper_pid" ]]; then kill "$scraper_pid" 2>/dev/null || true; scraper_pid=""; fi
  rate="$(sed -n 's/.*service \([0-9.]*\) jobs\/s.*/\1/p' <<<"$out")"
  raw="$(sed -n 's/.*raw loop \([0-9.]*\) jobs\/s.*/\1/p' <<<"$out")"
  overhead="$(sed -n 's/^| service overhead beyond Playwright[^|]*| \([0-9]*\) | \([0-9]*\) |/\1/p' <<<"$out")"
  echo "$mode $round $rate $raw $overhead $api_cpu $worker_cpu"
}

results=()
for ((r = 1; r <= ROUNDS; r++)); do
  order="off on"
  ((r % 2 == 0)) && order="on off"
  for mode in $order; do
    line="$(run_round "$mode" "$r")"
    echo "round $r, observability $mode: service $(cut -d' ' -f3 <<<"$line") jobs/s (raw loop $(cut -d' ' -f4 <<<"$line")), overhead p50 $(cut -d' ' -f5 <<<"$line") ms, CPU per job: API $(cut -d' ' -f6 <<<"$line") ms, worker $(cut -d' ' -f7 <<<"$line") ms"
    results+=("$line")
  done
done
bash "$BA_REPO_ROOT/infra/down.sh" --apps-only >/dev/null
bash "$BA_REPO_ROOT/infra/up.sh" >/dev/null

printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
med = lambda mode, i: statistics.median(float(r[i]) for r in rows if r[0] == mode)
off, on = med("off", 2), med("on", 2)
print(f"median service jobs/s: off {off:.2f}, on {on:.2f}; on / off = {on / off:.3f} (cost {100 * (1 - on / off):+.1f} %)")
ratios = [float(on_[2]) / float(off_[2]) for off_, on_ in zip([r for r in rows if r[0] == "off"], [r for r in rows if r[0] == "on"])]
print("per-round on/off:", ", ".join(f"{x:.3f}" for x in ratios))
'
