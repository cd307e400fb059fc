#!/usr/bin/env bash
# One command: builds in Release, starts the simulator (Notion API at its default 3 requests a second per token) on a
# free loopback port, and runs PayTrack's own commands on a private PostgreSQL in a temporary directory: an account
# with the demo year imported, `notion connect` with the simulator's demo integration, a first `notion sync`, then a
# second one with nothing changed. The request counts and times come from the simulator's request log.
# Writes the figures to RESULTS.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/results-local"
mkdir -p "$work"
data="$(mktemp -d)"
# The private PostgreSQL runs as the postgres user when started as root: it must reach the directory.
chmod 755 "$data"

dotnet build "$root/src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj" -c Release --nologo -v q -o "$work/simulator"
dotnet build "$root/src/PayTrack.Web/PayTrack.Web.csproj" -c Release --nologo -v q -o "$work/web"

log="$work/simulator.log"
DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/simulator/PayTrack.KronosSimulator.dll" --urls "http://127.0.0.1:0" >"$log" 2>&1 &
simulator=$!
cleanup() {
  kill "$simulator" 2>/dev/null || true
  wait "$simulator" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 200); do
  url="$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$log" | head -n1 | sed 's/Now listening on: //' || true)"
  [ -n "$url" ] && break
  kill -0 "$simulator" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the simulator did not start"; cat "$log"; exit 1; }

token="ntn_paytrack_demo_integration_token"
page="1f0c8a7e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
export PayTrack__LocalPostgres__DataDirectory="$data/pg" PayTrack__Notion__AllowPrivateAddresses=true ASPNETCORE_ENVIRONMENT=Production
paytrack() { (cd "$work/web" && dotnet PayTrack.Web.dll "$@"); }

paytrack users add --email bench@notion.test --password 'Bench-notion1!' >/dev/null
paytrack import --user bench@notion.test "$root/seed-data/demo-backup.json"
echo "$token" | paytrack notion connect --user bench@notion.test --parent "$page" --base-url "$url"
curl -fsS -X DELETE "$url/_sim/notion/integrations/$token/requests" >/dev/null

start=$(date +%s.%N)
paytrack notion sync --user bench@notion.test | tail -n 1
first_cmd=$(echo "$(date +%s.%N) - $start" | bc)
curl -fsS "$url/_sim/notion/integrations/$token/requests" >"$work/first.json"
curl -fsS -X DELETE "$url/_sim/notion/integrations/$token/requests" >/dev/null

paytrack notion sync --user bench@notion.test | tail -n 1
curl -fsS "$url/_sim/notion/integrations/$token/requests" >"$work/second.json"

python3 - "$work/first.json" "$work/second.json" "$first_cmd" "$here/RESULTS.md" <<'PY'
import json, sys, datetime
first = json.load(open(sys.argv[1])); second = json.load(open(sys.argv[2])); command = float(sys.argv[3])
n = len(first)
span = (first[-1]["at_ms"] - first[0]["at_ms"]) / 1000 if n > 1 else 0.0
ideal = (n - 1) / 3 if n > 1 else 0.0
throttled = sum(1 for r in first if r["status"] == 429)
writes = sum(1 for r in second if r["method"] in ("POST", "PATCH") and not r["path"].endswith("/query"))
reads = len(second) - writes
by = {}
for r in first:
    key = r["method"] + (" query" if r["path"].endswith("/query") else "")
    by[key] = by.get(key, 0) + 1
lines = [
    "# bench/notion",
    "",
    f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC with `bench/notion/run.sh`: the demo year (seed-data/demo-backup.json) pushed to the",
    "simulator's Notion API at its default limit of 3 requests a second per token (token bucket, burst 3), PayTrack at its",
    "defaults (3 requests a second, 3 in flight). Times are from the simulator's request log.",
    "",
    "| Figure | Value |",
    "|---|---|",
    f"| first sync: requests | {n} ({', '.join(f'{k} {v}' for k, v in sorted(by.items()))}) |",
    f"| first sync: answered 429 | {throttled} |",
    f"| first sync: first to last request | {span:.1f} s |",
    f"| ideal at 3 requests/s ((requests - 1) / 3) | {ideal:.1f} s |",
    f"| ratio | {span / ideal:.3f}x (goal within 1.1x) |" if ideal else "| ratio | n/a |",
    f"| whole `notion sync` command (process start and private PostgreSQL included) | {command:.1f} s |",
    f"| second sync, nothing changed: writes / reads | {writes} / {reads} (goal 0 writes, at most 2 reads) |",
    "",
]
open(sys.argv[4], "w").write("\n".join(lines))
print("\n".join(lines))
PY
