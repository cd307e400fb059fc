#!/usr/bin/env bash
# The dashboard under load, one command: builds PayTrack (Release) and the bench tool, starts a throwaway PostgreSQL,
# fills it by binary COPY with USERS users x YEARS years of shifts plus one user with HEAVY_YEARS years, then
#  1. runs PayTrack on it, signs in as the heavy user and loads the overview's prerendered page with wrk
#     (CONNECTIONS connections, DURATION): requests per second and the server's own time per page;
#  2. compares the page's queries with hand-written SQL for the same figures;
#  3. on a fresh PayTrack process, opens CIRCUITS real Blazor circuits on the overview (one signed-in user each, after
#     WARM_CIRCUITS to warm the node up): memory per circuit after a full GC, then makes a data change for all of
#     those users and times until every circuit has received a render batch;
# and writes RESULTS.md. The machine is shared: before measuring, it waits (at most QUIET_WAIT seconds) for the load
# average to drop below QUIET_LOAD, and it reports the load around each measurement.
# Settings (environment): USERS=10000 YEARS=3 HEAVY_YEARS=5 CONNECTIONS=32 DURATION=30s WARMUP=60s ITERATIONS=2000
#                         CIRCUITS=1000 WARM_CIRCUITS=10 PARALLEL=8 PROBE=10s QUIET_LOAD=1.5 QUIET_WAIT=150 BUILD=1
# The warm-up is a minute because .NET compiles hot code again, optimised, while it runs (tiered compilation): the same build
# measured 4.9 ms of CPU per page after 20 s under load and 3.2 ms after a minute, and a server runs for days. For the same
# reason the circuits get three data changes before the measured one; the first is reported on its own.
# PERF_OUT=FILE records the web process with perf during the measured wrk run (PayTrack started with its perf map).
# While developing: USERS=200 CIRCUITS=50 DURATION=5s WARMUP=2s ITERATIONS=100 PROBE=3s QUIET_WAIT=0 bench/dashboard/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"
root="$(cd "$here/../.." && pwd)"
users="${USERS:-10000}"
years="${YEARS:-3}"
heavy_years="${HEAVY_YEARS:-5}"
connections="${CONNECTIONS:-32}"
duration="${DURATION:-30s}"
warmup="${WARMUP:-60s}"
iterations="${ITERATIONS:-2000}"
circuits="${CIRCUITS:-1000}"
warm_circuits="${WARM_CIRCUITS:-10}"
parallel="${PARALLEL:-8}"
PROBE="${PROBE:-10s}"
quiet_load="${QUIET_LOAD:-1.5}"
quiet_wait="${QUIET_WAIT:-150}"
today="$(date -u +%Y-%m-%d)"
work="$here/results-local"
started_at=$SECONDS
mkdir -p "$work"
if [ "$((circuits + warm_circuits))" -ge "$users" ]; then
  echo "CIRCUITS + WARM_CIRCUITS must be fewer than USERS (one generated user per circuit)"; exit 2
fi

load1() { awk '{ print $1 }' /proc/loadavg; }
wait_for_quiet() {
  local waited=0
  while awk -v l="$(load1)" -v q="$quiet_load" 'BEGIN { exit !(l >= q) }' && [ "$waited" -lt "$quiet_wait" ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "(load average $(load1) after waiting ${waited} s)"
}

echo "== build (Release)"
[ "${BUILD:-1}" = 0 ] || dotnet build "$root/src/PayTrack.Web/PayTrack.Web.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/web"
[ "${BUILD:-1}" = 0 ] || dotnet build "$here/DashboardBench.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/bench"
# dotnet-gcdump makes the web process collect its garbage and reports the live heap by type (memory per circuit).
gcdump="$work/tools/dotnet-gcdump"
[ -x "$gcdump" ] || dotnet tool install dotnet-gcdump --version 10.0.750501 --tool-path "$work/tools" >/dev/null

echo "== PostgreSQL"
web_pid=""
cleanup() {
  [ -n "${pgdata:-}" ] || return 0
  [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null || true
  stop_postgres "$pgdata"
  rm -rf "$pgdata"
}
trap cleanup EXIT
# Made only after the build and with the clean-up in place, so no run leaves an empty folder behind.
pgdata="$(mktemp -d /tmp/paytrack-bench-dashboard.XXXXXX)"
start_postgres "$pgdata"

echo "== generate $users users x $years years (one user x $heavy_years years) by binary COPY"
generated="$(dotnet "$work/bench/DashboardBench.dll" generate "$connection" "$users" "$years" "$heavy_years" "$email" "$password" "$today")"
echo "$generated"
eval "$(echo "$generated" | grep -E '^[a-z_0-9]+=')"
heavy_shifts="$(as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d paytrack_bench -Atc "SELECT count(*) FROM shifts WHERE user_id = '00000000-0000-4000-8000-000000000000'")"
db_size="$(as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d paytrack_bench -Atc "SELECT pg_size_pretty(pg_database_size('paytrack_bench'))")"

start_web() {
  web_port="$(free_port)"
  base="http://127.0.0.1:$web_port"
  start_node "$work/web" "$web_port" "$work/web-$1.log" DOTNET_PerfMapEnabled="${PERF_OUT:+1}" DOTNET_EnableWriteXorExecute="${PERF_OUT:+0}"
  web_pid=$!
}
stop_web() { kill "$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null || true; web_pid=""; }

echo "== PayTrack (Release) for the page load"
start_web wrk

echo "== sign in as $email"
jar="$work/cookies.txt"
BENCH_COOKIE="$(sign_in "$base" "$jar")"
export BENCH_COOKIE
curl -fs -c "$jar" -b "$jar" "$base/" -o "$work/overview.html"
grep -q 'data-testid="stat-year-hours"' "$work/overview.html" || { echo "the overview did not render figures"; exit 1; }
grep -q '<!--Blazor:{"type":"server"' "$work/overview.html" || { echo "the overview is not an interactive server page"; exit 1; }
page_bytes="$(wc -c <"$work/overview.html")"

echo "== wrk: warm-up $warmup, then $duration with $connections connections"
wrk -t2 -c"$connections" -d"$warmup" -s "$here/overview.lua" "$base/" >/dev/null
wait_for_quiet
load_before="$(load1)"
ticks_before="$(cpu_ticks "$web_pid")"
[ -z "${PERF_OUT:-}" ] || { perf record -F 499 -g -p "$web_pid" -o "$PERF_OUT" >/dev/null 2>&1 & perf_pid=$!; }
loaded="$(wrk -t2 -c"$connections" -d"$duration" -s "$here/overview.lua" "$base/")"
ticks_after="$(cpu_ticks "$web_pid")"
[ -z "${PERF_OUT:-}" ] || { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
load_after="$(load1)"
echo "$loaded"
eval "$(echo "$loaded" | grep -E '^[a-z_0-9]+=')"
peak_kb="$(awk '/VmHWM/ { print $2 }' "/proc/$web_pid/status")"

echo "== the floor: the same page for a user registered now, with nothing stored ($duration after a 20s warm-up)"
new_email="bench-new-$(date +%s)@paytrack.invalid"
new_cookie="$(register "$base" "$work/cookies-new.txt" "$new_email")"
empty='data-testid="dashboard-empty"'
BENCH_COOKIE="$new_cookie" BENCH_EXPECT="$empty" wrk -t2 -c"$connections" -d20s -s "$here/overview.lua" "$base/" >/dev/null
wait_for_quiet
floor_load="$(load1)"
floor_ticks_before="$(cpu_ticks "$web_pid")"
floor="$(BENCH_COOKIE="$new_cookie" BENCH_EXPECT="$empty" wrk -t2 -c"$connections" -d"$duration" -s "$here/overview.lua" "$base/")"
floor_ticks_after="$(cpu_ticks "$web_pid")"
echo "$floor"
eval "$(echo "$floor" | grep -E '^[a-z_0-9]+=' | sed 's/^/floor_/')"
floor_cpu_per_request="$(awk -v t=$((floor_ticks_after - floor_ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$floor_requests" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')"

echo "== one request at a time ($PROBE each): the overview, and /health/ready with and without the session cookie"
probe() {
  local c0 c1 out
  c0="$(cpu_ticks "$web_pid")"
  out="$(BENCH_COOKIE="$2" wrk -t1 -c1 -d"$PROBE" -s "$here/overview.lua" "$base$1")"
  c1="$(cpu_ticks "$web_pid")"
  echo "$out" | awk -F= -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '/^requests=/ { n = $2 } /^server_p50_ms=/ { p = $2 }
    END { printf "%.2f ms of CPU, %s ms of server time (p50)", t * 1000 / hz / n, p }'
}
one_page="$(probe / "$BENCH_COOKIE")"
ready_signed_in="$(probe /health/ready "$BENCH_COOKIE")"
ready_anonymous="$(probe /health/ready "")"
echo "overview: $one_page; /health/ready signed in: $ready_signed_in; anonymous: $ready_anonymous"
stop_web

echo "== the page's queries against hand-written SQL ($iterations each, alternating)"
wait_for_quiet
load_queries="$(load1)"
compared="$(dotnet "$work/bench/DashboardBench.dll" queries "$connection" "$email" "$iterations")"
echo "$compared"
eval "$(echo "$compared" | grep -E '^[a-z_0-9]+=')"

echo "== $circuits Blazor circuits (after $warm_circuits to warm up) on a fresh PayTrack, one signed-in user each"
start_web circuits
wait_for_quiet
load_circuits_before="$(load1)"
opened="$(dotnet "$work/bench/DashboardBench.dll" circuits "$base/" "$connection" "$web_pid" "$password" "$circuits" "$warm_circuits" "$parallel" "$gcdump" "$work")"
load_circuits_after="$(load1)"
echo "$opened"
eval "$(echo "$opened" | grep -E '^[a-z_0-9]+=')"
stop_web

verdict() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = (a != "nan") && ((op == "<=") ? (a <= b) : (a >= b)); print ok ? "met" : "NOT met" }'; }
total_seconds=$((SECONDS - started_at))
cpu_per_request="$(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')"
mem_gib="$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
pg_version="$("$pgbin/postgres" --version | awk '{print $3}')"
# The GC mode as the node ran it: the build's runtimeconfig (decision 0038), unless the environment overrode it.
datas="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["runtimeOptions"].get("configProperties", {}).get("System.GC.DynamicAdaptationMode", 1))' "$work/web/PayTrack.Web.runtimeconfig.json")"
datas="${DOTNET_GCDynamicAdaptationMode:-$datas}"
case "${DOTNET_gcServer:-}" in
  0|false) gc_mode="workstation GC (DOTNET_gcServer=0)" ;;
  *) case "$datas" in 0) gc_mode="server GC with a heap per core (DATAS off, decision 0038)" ;; *) gc_mode="server GC with DATAS (the heap count adapting to the load)" ;; esac ;;
esac
change_all_s="$(awk -v ms="$change_all_ms" 'BEGIN { if (ms == "NaN") print "nan"; else printf "%.2f", ms / 1000 }')"
refresh_floor_s="$(awk -v n="$circuits" -v cpu="$change_web_cpu_ms_per_circuit" -v cores="$(nproc)" 'BEGIN { printf "%.1f", n * cpu / cores / 1000 }')"
growth_rows="$(echo "$heap_growth" | tr ';' '\n' | sed 's/^ *//' | awk 'NF { kb = $1; $1 = ""; $2 = ""; sub(/^ +/, ""); printf "| `%s` | %s |\n", $0, kb }')"
cat >"$here/RESULTS.md" <<MD
# Dashboard benchmark: the overview page under load, and $circuits open dashboards on one node

Run with \`bench/dashboard/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $mem_gib; the load averages below say how busy
the machine was, the server, PostgreSQL and the load generators all sharing it). The whole run took ${total_seconds} s.
PayTrack built in Release, run with \`ASPNETCORE_ENVIRONMENT=Production\`, no jobs and the $gc_mode; PostgreSQL $pg_version on
127.0.0.1 (throwaway cluster, shared_buffers 1 GB, fsync off: only the generator and the one data change write).

| Figure | Measured | Goal | | Load average (1 min) before / after |
|---|---|---|---|---|
| overview page, requests per second (wrk, $connections connections) | $requests_per_second | at least 1,000 | $(verdict "$requests_per_second" 1000 ">=") | $load_before / $load_after |
| overview page, server time p95 | $server_p95_ms ms | at most 20 ms | $(verdict "$server_p95_ms" 20 "<=") | (same run) |
| memory per open dashboard ($circuits circuits, private memory after a full GC) | $anon_per_circuit_kb KB | at most 300 KB | $(verdict "$anon_per_circuit_kb" 300 "<=") | $load_circuits_before / $load_circuits_after |
| a data change reaches all $circuits dashboards | $change_all_s s | at most 2 s | $(verdict "$change_all_s" 2 "<=") | (same run) |

## Data

$users users x $years years of shifts, and one user ($email) with $heavy_years years: $generated_shifts shifts in all,
$heavy_shifts of them the heavy user's; database $db_size. Generated by binary COPY in ${generate_seconds} s (indexes built
after the load). Every generated user has a Kronos connection, so the overview also shows the sync panel.

## 1. The overview's prerendered page under wrk

GET / as the $heavy_years-year user with the session cookie: the interactive server page's first paint, rendered on the
server with its figures, its charts' data and the markers from which the browser starts the circuit. Every answer is
checked: status 200, the figures, the interactive component's marker and the end of the document.
wrk, 2 threads, $connections connections, $duration after a $warmup warm-up, on the same machine as the server.

| Figure | Measured |
|---|---|
| requests per second | $requests_per_second |
| server time p50 / p95 / p99 (Server-Timing \`app\`) | $server_p50_ms / **$server_p95_ms** / $server_p99_ms ms |
| latency seen by wrk p50 / p95 / p99 | $wrk_p50_ms / $wrk_p95_ms / $wrk_p99_ms ms |
| the overview's own queries under load p50 / p95 (Server-Timing \`db\`) | $db_p50_ms / $db_p95_ms ms |
| requests / non-200 answers / 200s that were not the whole page / socket errors | $requests / $non_200 / $incomplete_pages / $socket_errors |
| web process CPU time per request (user + system, from /proc) | $cpu_per_request ms |
| web process peak memory (VmHWM) | $((peak_kb / 1024)) MiB |
| page size | $page_bytes bytes |

## 1b. The floor: the same page with nothing to show

The same GET / for a user who registered a moment before (no Kronos connection, no shifts), on the same process right
after, under the same load ($duration after a 20 s warm-up, load average $floor_load before): the same pipeline (the
session check, the overview's one round trip, which finds nothing, the layout, the interactive component's marker, its
persisted state and the antiforgery token) with nothing to compute or list. Whatever the overview costs beyond this is
PayTrack's figures; this much any signed-in page of this stack costs here.

| Figure | the $heavy_years-year user (above) | a user with nothing stored |
|---|---|---|
| requests per second | $requests_per_second | **$floor_requests_per_second** |
| server time p50 / p95 | $server_p50_ms / $server_p95_ms ms | $floor_server_p50_ms / **$floor_server_p95_ms** ms |
| latency seen by wrk p95 | $wrk_p95_ms ms | $floor_wrk_p95_ms ms |
| web process CPU time per request | $cpu_per_request ms | $floor_cpu_per_request ms |
| requests / non-200 answers / 200s that were not the whole page | $requests / $non_200 / $incomplete_pages | $floor_requests / $floor_non_200 / $floor_incomplete_pages |

## 2. The overview's queries against the best hand-written SQL for the same figures

Measured alternately, $iterations times each, one client at a time, with no web process running (load average $load_queries).
The page (\`OverviewQueries\`): one round trip of prepared statements: the user's settings with the connection's zone,
the jobs with their raises, the shifts of a window that holds whatever the settings need, the recent problems and the
problem count per day, the sync state and the work-study awards; in C#, the shifts are summed per day and job and paid
(each workweek once), and the student panel (cap, take-home, awards, the year's rounding) is computed from the same
shifts. The hand-written SQL computes only the five figures, so the page's side does more than the other. Hand-written: one round
trip of prepared statements: the settings, one statement that pays every shift at its rate of the day, computes FLSA
overtime per workweek with window functions and sums week, pay period, month, year and the next payday's period in the
database (dates computed for the default settings, which the benchmark's user has, and checked against the settings
read in the same batch), and the problem list and count.

| | median | p95 |
|---|---|---|
| page's queries | $page_queries_median_ms ms | $page_queries_p95_ms ms |
| page's queries + pay computed in C# | $page_total_median_ms ms | |
| hand-written SQL | $hand_median_ms ms | $hand_p95_ms ms |
| ratio (page's queries / hand-written) | **$queries_ratio** | goal <= 2 ($(verdict "$queries_ratio" 2 "<=")) |

Both agree to the cent: $figures_agree ($figures).

## 3. $circuits open dashboards on one node

A fresh PayTrack process. The benchmark (\`CircuitBench\`, \`BlazorCircuit\`) signs in $((circuits + warm_circuits)) generated
users through the sign-in form ($signin_seconds s), one user per circuit, and opens each dashboard as blazor.web.js does: GET /
(the prerendered page), the hub at /_blazor over a WebSocket with the session cookie (negotiate, \`StartCircuit\`, then
\`UpdateRootComponents\` with the root component's marker and the page's persisted state), acknowledging every render batch
and answering every JS call (the chart module's import and draw) as a browser that ran it. $warm_circuits circuits are
opened first to warm the node up (compiled code, caches, pools); the memory is measured after they settle, and again after
the $circuits measured circuits are open and have been quiet for 2 s ($parallel opened at a time; opening them took
$open_seconds s). Before each measurement dotnet-gcdump makes the process run a full blocking GC and counts the live
managed heap.

| Memory (after a full GC) | before | after | per circuit |
|---|---|---|---|
| private (anonymous) resident memory, RssAnon | $anon_before_mib MiB | $anon_after_mib MiB | **$anon_per_circuit_kb KB** |
| resident memory, VmRSS | $rss_before_mib MiB | $rss_after_mib MiB | $rss_per_circuit_kb KB |
| live managed heap (dotnet-gcdump) | $heap_before_mib MiB | $heap_after_mib MiB | $heap_per_circuit_kb KB |

Then four data changes for every measured circuit's user, one after the other: each a shift entered by hand (today, an
hour from 01:00, 02:00, 03:00, then 04:00 in their zone,
before any generated shift, so this week's figures change), inserted as the Shifts page inserts one and announced on the
app's channel (\`paytrack_live\`, the same \`data-changed\` event the Shifts page publishes), all in one transaction, so the
$circuits notifications leave PostgreSQL at the commit. Each circuit's page hears its user's event through the node's one
LISTEN connection, reads its figures again and sends a render batch. Timed from the start of the commit
($change_commit_ms ms for the measured one) to each circuit's first render batch after it. The first changes after a start
run the refresh on code .NET has not optimised yet (tiered compilation: in a perf profile of those waves its compiler
thread took two thirds of the CPU). The first is reported below, the second and third took $warming_changes_all_ms ms, and
the fourth is what every later change costs: the figure above.

| | the first change after the start | **the fourth (measured)** |
|---|---|---|
| circuits that received a render batch | | $change_reached of $circuits (circuit errors: $circuit_errors) |
| p50 (first) and p50 / p95 (measured) | $first_change_p50_ms ms | $change_p50_ms / $change_p95_ms ms |
| all of them | $first_change_all_ms ms | **$change_all_ms ms** |
| web process CPU time per refreshed dashboard (user + system during the wave) | $first_change_web_cpu_ms_per_circuit ms | $change_web_cpu_ms_per_circuit ms |

### Where a circuit's managed memory goes

Live heap growth from the $warm_circuits warm circuits to all $((circuits + warm_circuits)), divided by $circuits, by type
(the largest twelve):

| type | KB per circuit |
|---|---|
$growth_rows

## Where the time and the memory go

**The page.** One request at a time, the overview costs $one_page. The health probe costs $ready_signed_in with the
session cookie and $ready_anonymous without it: the difference is the session check PayTrack makes on every request, so
that a password change ends the other sessions at their next request: one prepared read of the account's security stamp
and Admin role (\`SessionCheck\`, decision 0033). Identity's own check, used before, loaded the user, their claims and their
roles in three queries and built the principal again; it cost 2.85 ms of CPU against 0.83 ms without a cookie.
The rest is the page: the overview's one round trip (which also reads the student panel's shifts and awards, decision
0035, and the Notion banner's column, decision 0036), the pay and the student panel computed, the render, and Data Protection for the
component's marker, its persisted state and two antiforgery tokens. Under $connections connections the CPU per request grows to $cpu_per_request ms:
the two cores are shared with PostgreSQL, with wrk and with the other work on the machine. With $(nproc) cores, 1,000
requests a second leaves at most $(awk -v c="$(nproc)" 'BEGIN { printf "%.1f", c }') ms of CPU per request for PayTrack,
PostgreSQL and wrk together. The same page for a user with nothing stored (section 1b) shows what the stack itself costs
here; the difference is the overview's own work: its shifts read, pay and the student panel computed, and their render.
The same code measured 746.9 requests a second in a full run on 2026-11-30 and 1,082.4 on 2026-12-01: compare builds with
\`bench/dashboard/compare.sh\`, not runs.

**A circuit's memory.** The live managed heap grows by $heap_per_circuit_kb KB per circuit (table above): the render tree of the
page's components (\`RenderTreeFrame[]\`: each component keeps its current and previous frames, sized for the largest
render), the circuit's DI scope (every scoped service that Blazor and the page resolve), and the strings of what the page
shows. The private memory beyond the live heap ($anon_per_circuit_kb KB against $heap_per_circuit_kb KB) is mostly the GC's free
space kept committed after the collection, and each connection's buffers (Kestrel, the WebSocket, SignalR's pipes). The GC
mode decides most of it: on 2026-11-30, 300 circuits on 400 users (\`USERS=400 CIRCUITS=300\`, the same machine and load)
measured 420 KB of private memory per circuit with the server GC and 196 KB with the workstation GC
(\`DOTNET_gcServer=0 bench/dashboard/run.sh\`), for the same 225 KB of live heap, and a data change reached the 300 pages
in 1.39 s and 1.29 s. PayTrack still runs with the server GC, since 2026-12-01 without DATAS (decision 0038: its gen1 collections held up
pages under load); choosing the workstation GC for nodes that hold many open pages is a deployment decision this
benchmark informs, not one it makes.

**A data change.** The $circuits notifications reach the node through its one LISTEN connection within milliseconds of the
commit; each page then reads its figures again (the overview's one round trip, with the Notion banner's column)
and renders: $change_web_cpu_ms_per_circuit ms of web CPU per page, so $circuits pages need at least $refresh_floor_s s of
$(nproc) idle cores for PayTrack alone, with PostgreSQL's share on the same cores on top. All refreshes start at once and
queue for the connection pool (100 connections), which spreads the renders over the whole wave.
MD
echo
cat "$here/RESULTS.md"
