# Sourced by run.sh and compare.sh: a throwaway PostgreSQL, a PayTrack node as the benchmarks run it, and signing in
# as the generated heavy user.
# Before anything is built: the tools the benchmarks call, each with the Debian package that has it.
for tool in wrk:wrk curl:curl openssl:openssl python3:python3; do
  command -v "${tool%%:*}" >/dev/null || { echo "${tool%%:*} is not installed (Debian: apt-get install ${tool#*:})" >&2; exit 2; }
done
email="bench-heavy@paytrack.invalid"
password="Bench-pass1!"
dp_key="$(openssl rand -base64 32)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# start_postgres DIR: a cluster in DIR (an empty folder) on a free port, tuned for loading and reading, not for safety
# (fsync off), with an empty database paytrack_bench; sets pg_port and connection.
start_postgres() {
  chown postgres "$1" 2>/dev/null || true
  pg_port="$(free_port)"
  as_postgres "$pgbin/initdb" -D "$1/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$1/data" -l "$1/server.log" -w start \
    -o "-p $pg_port -k $1 -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_connections=250 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB -c checkpoint_timeout=30min -c maintenance_work_mem=512MB" >/dev/null
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=paytrack_bench;Maximum Pool Size=100"
  as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE paytrack_bench" >/dev/null
}
stop_postgres() { as_postgres "$pgbin/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true; }

# start_node FOLDER PORT LOG [NAME=value...]: the published PayTrack in FOLDER on the database, in the background ($! is
# its process), as a production node without jobs or demo and with Server-Timing on; returns once it is ready.
start_node() {
  env "${@:4}" PayTrack__DataProtection__Key="$dp_key" ConnectionStrings__PayTrack="$connection" ASPNETCORE_ENVIRONMENT=Production \
    PayTrack__Demo__Enabled=false PayTrack__Jobs__RunJobs=false PayTrack__Notion__SyncAfterChanges=false \
    PayTrack__Diagnostics__ServerTiming=true Serilog__MinimumLevel__Default=Warning \
    dotnet "$1/PayTrack.Web.dll" --urls "http://127.0.0.1:$2" >"$3" 2>&1 &
  local node=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$node" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.2
  done
  echo "PayTrack did not become ready"; exit 1
}

# account_form BASE JAR PATH FIELD=value...: posts an account form (its antiforgery token and handler read from the page
# first) with the cookies in JAR, expecting the redirect of success; prints the cookies as a Cookie header.
account_form() {
  local page token handler status field
  local -a data=()
  rm -f "$2"
  page="$(curl -fs -c "$2" -b "$2" "$1$3")"
  token="$(echo "$page" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')"
  handler="$(echo "$page" | grep -o 'name="_handler" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')"
  for field in "__RequestVerificationToken=$token" "_handler=$handler" "${@:4}"; do data+=(--data-urlencode "$field"); done
  status="$(curl -s -o /dev/null -w '%{http_code}' -c "$2" -b "$2" "${data[@]}" "$1$3")"
  [ "$status" = 302 ] || { echo "$3 answered $status, not the redirect of success" >&2; exit 1; }
  awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$2"
}

# sign_in BASE JAR: signs in through the form as the heavy user; prints the session's Cookie header.
sign_in() { account_form "$1" "$2" /account/login "Input.Email=$email" "Input.Password=$password"; }

# register BASE JAR EMAIL: creates an account through the register form, which signs it in; prints the session's Cookie
# header. The account has nothing stored: no Kronos connection, no shifts.
register() { account_form "$1" "$2" /account/register "Input.Email=$3" "Input.Password=$password" "Input.ConfirmPassword=$password"; }
