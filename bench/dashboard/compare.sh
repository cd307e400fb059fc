#!/usr/bin/env bash
# Two builds of PayTrack side by side on the overview under wrk, one command:
#   bench/dashboard/compare.sh A B
# A and B are git revisions (built in Release from a temporary worktree) or folders holding a published PayTrack.Web.dll.
# Both builds run at once on one throwaway PostgreSQL, each on its own copy of the same data (USERS generated users and
# the HEAVY_YEARS user), so that each makes its own Data Protection key as a new install would; each warmed with
# WARMUP of load (a minute, as in run.sh: .NET compiles hot code again while it runs); then they take turns, ROUNDS
# times: wrk on A for TURN, then on B for TURN (CONNECTIONS connections).
# Only one build is loaded at a time, and a slow minute of the machine falls on both turns of a round, so the per-round
# ratios hold where two separate runs can differ by 20% on a shared 2-core machine (see decision 0036).
# Prints per round and the medians: requests per second, web CPU per request (from /proc), p95 server time; B/A ratios.
# Settings (environment): USERS=1000 YEARS=3 HEAVY_YEARS=5 CONNECTIONS=32 TURN=15s WARMUP=60s ROUNDS=6
#                         ENV_A / ENV_B: extra environment for one build ("DOTNET_GCDynamicAdaptationMode=0", space separated)
#                         CONNECTION_A / CONNECTION_B: extra connection-string settings for one build (";Maximum Pool Size=8")
# While developing: USERS=100 TURN=3s WARMUP=3s ROUNDS=2 bench/dashboard/compare.sh HEAD HEAD
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: bench/dashboard/compare.sh A B (git revisions or published folders)"; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users="${USERS:-1000}"
connections="${CONNECTIONS:-32}"
turn="${TURN:-15s}"
warmup="${WARMUP:-60s}"
rounds="${ROUNDS:-6}"
# shellcheck source=common.sh
. "$here/common.sh"
work="$(mktemp -d /tmp/paytrack-compare.XXXXXX)"
pgdata="$(mktemp -d /tmp/paytrack-compare-pg.XXXXXX)"
declare -A pid port cookie
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres "$pgdata"
  for tree in "$work"/src-*; do [ -d "$tree" ] && git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1; done
  rm -rf "$work" "$pgdata"
}
trap cleanup EXIT

# A folder as it is; a revision built in Release from a worktree of its own.
build() { # name revision-or-folder
  if [ -f "$2/PayTrack.Web.dll" ]; then echo "$(cd "$2" && pwd)"; return; fi
  git -C "$root" worktree add --detach "$work/src-$1" "$2" >/dev/null 2>&1 || { echo "not a folder with PayTrack.Web.dll nor a git revision: $2" >&2; exit 2; }
  dotnet publish "$work/src-$1/src/PayTrack.Web/PayTrack.Web.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/$1" >&2
  echo "$work/$1"
}
echo "== build A ($1) and B ($2), and the generator"
dir_a="$(build a "$1")"
dir_b="$(build b "$2")"
dotnet build "$here/DashboardBench.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/bench" >/dev/null

echo "== PostgreSQL, and $users users generated"
start_postgres "$pgdata"
dotnet "$work/bench/DashboardBench.dll" generate "$connection" "$users" "${YEARS:-3}" "${HEAVY_YEARS:-5}" "$email" "$password" "$(date -u +%Y-%m-%d)" >/dev/null

# B on a copy of A's data: a build's keys carry the algorithm it was built with (decision 0039), and a build that
# found the other's key would use it.
as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE paytrack_bench_b TEMPLATE paytrack_bench" >/dev/null
database_a="$connection${CONNECTION_A:-}"
database_b="${connection/Database=paytrack_bench/Database=paytrack_bench_b}${CONNECTION_B:-}"

start() { # name folder extra-environment (NAME=value words)
  port[$1]="$(free_port)"
  if [ "$1" = a ]; then connection="$database_a"; else connection="$database_b"; fi
  # shellcheck disable=SC2086 # the extra environment is a list of NAME=value words
  start_node "$2" "${port[$1]}" "$work/web-$1.log" $3
  pid[$1]=$!
  cookie[$1]="$(sign_in "http://127.0.0.1:${port[$1]}" "$work/cookies-$1.txt")"
}
load() { # name duration -> "requests/s cpu-ms-per-request server-p95-ms wrk-p95-ms"
  local before after out
  before="$(cpu_ticks "${pid[$1]}")"
  out="$(BENCH_COOKIE="${cookie[$1]}" wrk -t2 -c"$connections" -d"$2" -s "$here/overview.lua" "http://127.0.0.1:${port[$1]}/")"
  after="$(cpu_ticks "${pid[$1]}")"
  echo "$out" | awk -F= -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
    /^requests=/ { n = $2 } /^requests_per_second=/ { r = $2 } /^server_p95_ms=/ { p = $2 } /^wrk_p95_ms=/ { l = $2 }
    /^non_200=|^incomplete_pages=/ { bad += $2 }
    END { if (n == 0 || bad > 0) { print "failed"; exit 1 } printf "%.1f %.3f %.2f %.2f\n", r, ticks * 1000 / hz / n, p, l }'
}

echo "== both builds started and warmed ($warmup each)"
start a "$dir_a" "${ENV_A:-}"
start b "$dir_b" "${ENV_B:-}"
load a "$warmup" >/dev/null
load b "$warmup" >/dev/null

echo "== $rounds rounds: $turn on A, then $turn on B ($connections connections)"
: >"$work/rounds"
for r in $(seq 1 "$rounds"); do
  a="$(load a "$turn")" || { echo "A answered a page wrong or not at all"; exit 1; }
  b="$(load b "$turn")" || { echo "B answered a page wrong or not at all"; exit 1; }
  echo "$a $b" >>"$work/rounds"
  echo "round $r: A $a | B $b   (requests/s, web CPU ms per request, p95 ms: server time, latency seen by wrk)"
done
python3 - "$work/rounds" <<'PY'
import sys, statistics as st
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
names = ("requests/s", "web CPU per request, ms", "server time p95, ms", "latency seen by wrk p95, ms")
for i, name in enumerate(names):
    a, b = [r[i] for r in rows], [r[len(names) + i] for r in rows]
    per_round = " ".join(f"{y / x:.2f}" for x, y in zip(a, b))
    print(f"{name}: A {st.median(a):.2f}, B {st.median(b):.2f}, B/A {st.median(b) / st.median(a):.3f} (per round: {per_round})")
PY
