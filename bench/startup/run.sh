#!/usr/bin/env bash
# Start-up time of `dotnet run --project src/PayTrack.Web` until /health/ready answers Healthy:
# first start on an empty data folder (initdb included), then a warm start on the same folder.
# Usage: bench/startup/run.sh   (writes bench/startup/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/PayTrack.Web -nologo -v:q >/dev/null
data=$(mktemp -d /tmp/paytrack-startup-XXXX)
chmod 755 "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

measure() {
  local start end pid
  start=$(date +%s.%N)
  PayTrack__LocalPostgres__DataDirectory="$data" dotnet run --project src/PayTrack.Web --no-launch-profile -- --urls "http://127.0.0.1:$port" >"$data/log.txt" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/log.txt"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  # dotnet run forwards SIGTERM to PayTrack, which stops its PostgreSQL.
  pkill -TERM -P "$pid" || true
  wait "$pid" || true
  python3 -c "print(f'{$end - $start:.2f}')"
}

cold=$(measure)
warm=$(measure)
rm -rf "$data" 2>/dev/null || true
result="| start | seconds to /health/ready |
|---|---|
| first start, empty data folder (initdb included) | $cold |
| warm start, same folder | $warm |"
echo "$result"
{
  echo "# Start-up time"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores with \`bench/startup/run.sh\` (\`dotnet run\`, build up to date)."
  echo
  echo "$result"
} > bench/startup/RESULTS.md
