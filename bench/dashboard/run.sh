#!/usr/bin/env bash
# The overview page under load, one command: builds PayTrack (Release) and the bench tool, starts a throwaway
# PostgreSQL, fills it by binary COPY with USERS users x YEARS years of shifts plus one user with HEAVY_YEARS years,
# runs PayTrack on it, signs in as the heavy user and loads the overview with wrk (CONNECTIONS connections, DURATION),
# compares the page's queries with hand-written SQL for the same figures, and writes RESULTS.md.
# The machine is shared: before measuring, it waits (at most QUIET_WAIT seconds) for the load average to drop below
# QUIET_LOAD, and it reports the load around the measurement and the web process's own CPU time per request.
# Settings (environment): USERS=10000 YEARS=3 HEAVY_YEARS=5 CONNECTIONS=32 DURATION=30s WARMUP=10s ITERATIONS=2000
#                         QUIET_LOAD=1.5 QUIET_WAIT=150
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users="${USERS:-10000}"
years="${YEARS:-3}"
heavy_years="${HEAVY_YEARS:-5}"
connections="${CONNECTIONS:-32}"
duration="${DURATION:-30s}"
warmup="${WARMUP:-10s}"
iterations="${ITERATIONS:-2000}"
quiet_load="${QUIET_LOAD:-1.5}"
quiet_wait="${QUIET_WAIT:-150}"
today="$(date -u +%Y-%m-%d)"
email="bench-heavy@paytrack.invalid"
password="Bench-pass1!"
work="$here/results-local"
pgdata="$(mktemp -d /tmp/paytrack-bench-dashboard.XXXXXX)"
started_at=$SECONDS
mkdir -p "$work"

load1() { awk '{ print $1 }' /proc/loadavg; }
wait_for_quiet() {
  local waited=0
  while awk -v l="$(load1)" -v q="$quiet_load" 'BEGIN { exit !(l >= q) }' && [ "$waited" -lt "$quiet_wait" ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "(load average $(load1) after waiting ${waited} s)"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "== build (Release)"
dotnet build "$root/src/PayTrack.Web/PayTrack.Web.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/web"
dotnet build "$here/DashboardBench.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/bench"

echo "== PostgreSQL"
pg_port="$(free_port)"
chown postgres "$pgdata" 2>/dev/null || true
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
as_postgres "$pgbin/initdb" -D "$pgdata/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w start \
  -o "-p $pg_port -k $pgdata -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB -c checkpoint_timeout=30min -c maintenance_work_mem=512MB" >/dev/null
web_pid=""
cleanup() {
  [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null || true
  as_postgres "$pgbin/pg_ctl" -D "$pgdata/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdata"
}
trap cleanup EXIT
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=paytrack_bench;Maximum Pool Size=100"
as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE paytrack_bench" >/dev/null

echo "== generate $users users x $years years (one user x $heavy_years years) by binary COPY"
generated="$(dotnet "$work/bench/DashboardBench.dll" generate "$connection" "$users" "$years" "$heavy_years" "$email" "$password" "$today")"
echo "$generated"
eval "$(echo "$generated" | grep -E '^[a-z_0-9]+=')"
heavy_shifts="$(as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d paytrack_bench -Atc "SELECT count(*) FROM shifts WHERE user_id = '00000000-0000-4000-8000-000000000000'")"
db_size="$(as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d paytrack_bench -Atc "SELECT pg_size_pretty(pg_database_size('paytrack_bench'))")"

echo "== PayTrack (Release)"
web_port="$(free_port)"
ConnectionStrings__PayTrack="$connection" ASPNETCORE_ENVIRONMENT=Production PayTrack__Demo__Enabled=false PayTrack__Jobs__RunJobs=false \
  PayTrack__Diagnostics__ServerTiming=true Serilog__MinimumLevel__Default=Warning \
  dotnet "$work/web/PayTrack.Web.dll" --urls "http://127.0.0.1:$web_port" >"$work/web.log" 2>&1 &
web_pid=$!
base="http://127.0.0.1:$web_port"
for _ in $(seq 1 300); do
  curl -fs "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$web_pid" 2>/dev/null || { cat "$work/web.log"; exit 1; }
  sleep 0.2
done

echo "== sign in as $email"
jar="$work/cookies.txt"
rm -f "$jar"
login="$(curl -fs -c "$jar" -b "$jar" "$base/account/login")"
token="$(echo "$login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')"
handler="$(echo "$login" | grep -o 'name="_handler" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')"
status="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "_handler=$handler" --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" "$base/account/login")"
[ "$status" = 302 ] || { echo "sign-in failed ($status)"; exit 1; }
curl -fs -c "$jar" -b "$jar" "$base/" -o "$work/overview.html"
grep -q 'data-testid="stat-year-hours"' "$work/overview.html" || { echo "the overview did not render figures"; exit 1; }
export BENCH_COOKIE="$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")"
page_bytes="$(wc -c <"$work/overview.html")"

echo "== wrk: warm-up $warmup, then $duration with $connections connections"
wrk -t2 -c"$connections" -d"$warmup" -s "$here/overview.lua" "$base/" >/dev/null
wait_for_quiet
load_before="$(load1)"
ticks_before="$(cpu_ticks "$web_pid")"
loaded="$(wrk -t2 -c"$connections" -d"$duration" -s "$here/overview.lua" "$base/")"
ticks_after="$(cpu_ticks "$web_pid")"
load_after="$(load1)"
echo "$loaded"
eval "$(echo "$loaded" | grep -E '^[a-z_0-9]+=')"
peak_kb="$(awk '/VmHWM/ { print $2 }' "/proc/$web_pid/status")"
kill "$web_pid"; wait "$web_pid" 2>/dev/null || true; web_pid=""

echo "== the page's queries against hand-written SQL ($iterations each, alternating)"
wait_for_quiet
load_queries="$(load1)"
compared="$(dotnet "$work/bench/DashboardBench.dll" queries "$connection" "$email" "$iterations")"
echo "$compared"
eval "$(echo "$compared" | grep -E '^[a-z_0-9]+=')"

verdict() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { ok = (op == "<=") ? (a <= b) : (a >= b); print ok ? "met" : "NOT met" }'; }
total_seconds=$((SECONDS - started_at))
cpu_per_request="$(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')"
mem_gib="$(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
pg_version="$("$pgbin/postgres" --version | awk '{print $3}')"
cat >"$here/RESULTS.md" <<MD
# Dashboard benchmark: the overview page under load

Run with \`bench/dashboard/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $mem_gib, shared with other work; the
whole run took ${total_seconds} s). PayTrack built in Release; PostgreSQL $pg_version on 127.0.0.1 (throwaway cluster,
shared_buffers 1 GB, fsync off: the load is read-only, the setting only speeds up the generator).

## Data

$users users x $years years of shifts, and one user ($email) with $heavy_years years: $generated_shifts shifts in all,
$heavy_shifts of them the heavy user's; database $db_size. Generated by binary COPY in ${generate_seconds} s (indexes built after the load).

## Load: GET / (the overview) as the $heavy_years-year user, signed in with the session cookie

Every generated user has a Kronos connection, so the page also shows the jobs' sync panel (its own two queries).
The node runs no jobs during the measurement (\`PayTrack__Jobs__RunJobs=false\`); none would be due in it anyway.

wrk, 2 threads, $connections connections, $duration after a $warmup warm-up, on the same machine as the server.

| Figure | Measured | Goal |
|---|---|---|
| requests per second | $requests_per_second | >= 500 ($(verdict "$requests_per_second" 500 ">=")) |
| server time p50 / p95 / p99 (Server-Timing \`app\`) | $server_p50_ms / **$server_p95_ms** / $server_p99_ms ms | p95 <= 25 ms ($(verdict "$server_p95_ms" 25 "<=")) |
| latency seen by wrk p50 / p95 / p99 | $wrk_p50_ms / $wrk_p95_ms / $wrk_p99_ms ms | |
| the page's queries under load p50 / p95 (Server-Timing \`db\`) | $db_p50_ms / $db_p95_ms ms | |
| requests / non-200 answers / socket errors | $requests / $non_200 / $socket_errors | 0 errors |
| web process CPU time per request (user + system, from /proc) | $cpu_per_request ms | |
| web process peak memory (VmHWM) | $((peak_kb / 1024)) MiB | |
| load average (1 min) before / after the measured run | $load_before / $load_after | |
| page size | $page_bytes bytes | |

## The page's queries against the best hand-written SQL for the same figures

Measured alternately, $iterations times each, one client at a time, after the load run (load average $load_queries).
The page (\`OverviewQueries\`): one round trip of prepared statements: the user's settings with the connection's zone,
the jobs with their raises, the days of a window that holds whatever the settings need summed per day and job, the
recent problems and the problem count per day; pay is then computed in C# (each workweek once). Hand-written: one round
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
MD
echo
cat "$here/RESULTS.md"
