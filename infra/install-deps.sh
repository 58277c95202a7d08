#!/usr/bin/env bash
# Installs the Debian packages the project needs on a dev/CI machine. Idempotent and quiet:
# prints one line per package it installs and nothing when all is present.
set -euo pipefail

# postgresql-15 is normally on the image already; docker-compose is only used to validate
# docker-compose.yml (no engine needed); python3 parses test results in infra/test.sh; prometheus is the real
# server the metrics test starts on loopback to scrape the API and the worker.
packages=(
  postgresql-15
  rabbitmq-server
  chromium-headless-shell
  firefox-esr
  fonts-liberation
  fonts-noto-color-emoji
  fonts-noto-cjk
  docker-compose
  curl
  python3
  prometheus
)

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
# Node.js + npm run the bus-client test (tests/node-client). The image usually has them from elsewhere, and
# Debian's npm package would clash with such an install, so ask for Debian's only when the commands are missing.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" != 0 ]]; then
    echo "error: missing packages: ${missing[*]}; run infra/install-deps.sh as root" >&2
    exit 1
  fi
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  # --no-install-recommends keeps docker-compose from pulling in the docker.io engine.
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "error: apt-get failed installing: ${missing[*]}" >&2
    exit 1
  fi
  for pkg in "${missing[@]}"; do
    is_installed "$pkg" || { echo "error: $pkg still not installed after apt-get" >&2; exit 1; }
    echo "installed $pkg"
  done
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: dotnet not found on PATH; a .NET 10.0 SDK is required" >&2
  exit 1
fi
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.0\.'; then
  echo "error: no .NET 10.0 SDK found (dotnet --list-sdks shows: $(dotnet --list-sdks | awk '{print $1}' | paste -sd' ' -)); install a 10.0 SDK" >&2
  exit 1
fi

# s3rver (npm), the S3-compatible server infra/services.sh starts on loopback, installed into infra/s3rver/node_modules
# (project-local, never global) from the committed lock file.
s3rver_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/s3rver"
if [[ ! -x "$s3rver_dir/node_modules/.bin/s3rver" ]]; then
  npm ci --prefix "$s3rver_dir" --no-audit --no-fund --loglevel=error >/dev/null || {
    echo "error: npm ci failed in $s3rver_dir" >&2
    exit 1
  }
  echo "installed s3rver (infra/s3rver/node_modules)"
fi
