#!/usr/bin/env bash
# One command: builds in Release, starts the Kronos simulator with a fixed latency on a free loopback port, fetches
# four years of one account through PayTrack's client, prints the figures and writes them to RESULTS.md.
# LATENCY_MS (default 100) and TODAY (default 2026-11-18, so every run reads the same punches) may be set.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
latency="${LATENCY_MS:-100}"
today="${TODAY:-2026-11-18}"
work="$here/results-local"
mkdir -p "$work"

dotnet build "$root/src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj" -c Release --nologo -v q -o "$work/simulator"
dotnet build "$here/KronosFetchBench.csproj" -c Release --nologo -v q -o "$work/bench"

log="$work/simulator.log"
Simulator__Today="$today" Simulator__Faults__LatencyMs="$latency" DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/simulator/PayTrack.KronosSimulator.dll" --urls "http://127.0.0.1:0" >"$log" 2>&1 &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true; wait "$simulator" 2>/dev/null || true' EXIT

url=""
for _ in $(seq 1 200); do
  url="$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$log" | head -n1 | sed 's/Now listening on: //' || true)"
  [ -n "$url" ] && break
  kill -0 "$simulator" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the simulator did not start"; cat "$log"; exit 1; }

dotnet "$work/bench/KronosFetchBench.dll" --base-url "$url/api" --latency-ms "$latency" --today "$today" --results "$here/RESULTS.md"
