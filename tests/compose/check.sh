#!/usr/bin/env bash
# The compose check: PayTrack's docker-compose.yml run for real, from a clean copy of this checkout with no .env.
#
#   tests/compose/check.sh
#
# Builds both images (BuildKit), starts the stack under a project name of its own, waits until every service is
# healthy, then checks what a first user does: /health/ready, the demo for visitors, registering through the real
# form (the first account becomes the admin), connecting to the Kronos simulator with the host's `connect` command
# inside the web container, a catchup that completes; then `down` and `up` keep every row and the sign-in; both app
# containers run as non-root; no secret in the build log or any container's log. Prints `N passed, N failed` last,
# removes its containers, network, volume and copy, and exits 1 when a check failed.
#
# Environment: DOCKER (a docker CLI that can build with BuildKit; default `docker`), DOCKER_BUILDKIT (default 1),
# COMPOSE (default `docker compose` when it exists, else `docker-compose`), CHECK_KEEP=1 to leave the stack up.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
started=$(date +%s)
passed=0
failed=0
DOCKER=${DOCKER:-docker}
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-1}

pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+: $2}"; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
phase() { echo "== $1 ($(( $(date +%s) - started )) s)"; }

if [ -z "${COMPOSE:-}" ]; then
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE="docker-compose"; fi
fi
for tool in curl git "${DOCKER%% *}" "${COMPOSE%% *}"; do
  command -v "$tool" >/dev/null || { echo "the compose check needs $tool"; echo "0 passed, 1 failed"; exit 1; }
done

# A clean copy: the files git knows (tracked and new, not ignored), so no .env, bin/ or obj/ comes along.
work=$(mktemp -d /tmp/paytrack-compose-check.XXXXXX)
project="paytrackcheck$(date +%s)$$"
( cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null ) | tar -C "$work" -xf -
cd "$work" || exit 1

free_port() { # the given port when nothing listens on it, else a free one the kernel picks
  local port=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 )))
  fi
  echo "$port"
}
# Only the host ports may differ from the defaults (another stack may hold 8080 or 5090 on this machine).
PAYTRACK_PORT=$(free_port 8080); SIMULATOR_PORT=$(free_port 5090)
[ "$PAYTRACK_PORT" = 8080 ] || export PAYTRACK_PORT
[ "$SIMULATOR_PORT" = 5090 ] || export SIMULATOR_PORT
base="http://127.0.0.1:$PAYTRACK_PORT"
compose() { $COMPOSE -p "$project" "$@"; }

cleanup() {
  if [ "${CHECK_KEEP:-}" = 1 ]; then echo "left running: project $project in $work"; return; fi
  compose down -v --remove-orphans >/dev/null 2>&1
  cd / && rm -rf "$work"
}
trap cleanup EXIT

echo "compose check: $COMPOSE, project $project, PayTrack on $base, simulator on 127.0.0.1:$SIMULATOR_PORT"
check "a clean copy with no .env" test ! -e .env -a -f docker-compose.yml
check "the Dockerfile fetches no BuildKit frontend (no '# syntax=' line)" bash -c '! grep -qi "^# *syntax=" Dockerfile'

phase "build"
build_log="$work.build.log"
t0=$(date +%s)
if $DOCKER build --target web -t paytrack-web:local . >"$build_log" 2>&1 \
   && $DOCKER build --target simulator -t paytrack-kronos-sim:local . >>"$build_log" 2>&1; then
  pass "both images build ($(( $(date +%s) - t0 )) s, BuildKit=$DOCKER_BUILDKIT)"
else
  fail "both images build" "$(tail -5 "$build_log")"
  echo "$passed passed, $failed failed"; exit 1
fi
for image in paytrack-web:local paytrack-kronos-sim:local; do
  echo "image $image: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1000000}')"
done

wait_healthy() { # every service of the project healthy, within $1 seconds
  local deadline=$(( $(date +%s) + $1 )) ids states
  while [ "$(date +%s)" -lt "$deadline" ]; do
    ids=$(compose ps -q)
    if [ "$(wc -w <<<"$ids")" -eq 3 ]; then
      states=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' $ids | sort -u | tr '\n' ' ')
      [ "$states" = "healthy " ] && return 0
    fi
    sleep 2
  done
  echo "states: $(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' $(compose ps -q) 2>/dev/null | tr '\n' ';')"
  return 1
}

phase "up"
t0=$(date +%s)
if compose up -d --no-build >"$work.up.log" 2>&1 && wait_healthy 240; then
  pass "docker compose up with no .env: db, kronos-sim and web healthy ($(( $(date +%s) - t0 )) s)"
else
  fail "docker compose up with no .env: every service healthy" "$(tail -5 "$work.up.log")"
  compose logs --no-color --tail=30 web
  echo "$passed passed, $failed failed"; exit 1
fi

phase "checks"
check "/health/ready answers Healthy" test "$(curl -fsS "$base/health/ready")" = Healthy
check "a visitor sees the demo" grep -q 'Demo data' <<<"$(curl -fsS "$base/")"
check "the database publishes no port" test -z "$(docker port "$(compose ps -q db)")"
check "the simulator listens on 127.0.0.1 only" test "$(docker port "$(compose ps -q kronos-sim)" 8080/tcp)" = "127.0.0.1:$SIMULATOR_PORT"
check "PayTrack listens on 127.0.0.1 by default" test "$(docker port "$(compose ps -q web)" 8080/tcp)" = "127.0.0.1:$PAYTRACK_PORT"

jar="$work.cookies"
email="first-$RANDOM@example.edu"
password="Check-$RANDOM-pass!x"
hidden() { grep -o "<input[^>]*name=\"$1\"[^>]*>" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
register_page=$(curl -fsS -c "$jar" -b "$jar" "$base/account/register")
check "the register page says the first account becomes the admin" grep -q "becomes its administrator" <<<"$register_page"
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "__RequestVerificationToken=$(hidden __RequestVerificationToken <<<"$register_page")" \
  --data-urlencode "_handler=$(hidden _handler <<<"$register_page")" \
  --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" \
  --data-urlencode "Input.ConfirmPassword=$password" "$base/account/register")
check "registering through the form signs the user in (302, got $status)" test "$status" = 302
check "the first registered user is the admin (/admin answers 200)" test "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/admin")" = 200

connect_output=$(printf 'demo\n' | compose exec -T web dotnet PayTrack.Web.dll connect --user "$email" \
  --base-url http://kronos-sim:8080/api --username ana.student --time-zone America/New_York 2>&1)
check "connect inside the web container saves the Kronos connection" test $? -eq 0
echo "$connect_output" | sed 's/^/    connect: /'

psql_db() { compose exec -T db psql -v ON_ERROR_STOP=1 -U paytrack -d paytrack -tAq -c "$1" 2>&1; }
catchup_state() {
  psql_db "SELECT r.status FROM job_runs r JOIN identity_users u ON u.id = r.user_id
           WHERE u.normalized_email = upper('$email') AND r.kind = 'catchup' ORDER BY r.id DESC LIMIT 1"
}
t0=$(date +%s); state=""
while [ $(( $(date +%s) - t0 )) -lt 300 ]; do
  state=$(catchup_state | tr -d '[:space:]')
  case "$state" in succeeded|failed|cancelled) break ;; esac
  sleep 2
done
shifts=$(psql_db "SELECT count(*) FROM shifts s JOIN identity_users u ON u.id = s.user_id WHERE u.normalized_email = upper('$email')" | tr -d '[:space:]')
check "the catchup completes ($state in $(( $(date +%s) - t0 )) s, $shifts shifts)" test "$state" = succeeded -a "${shifts:-0}" -gt 0

for service in web kronos-sim; do
  uid=$(compose exec -T "$service" id -u 2>/dev/null | tr -d '[:space:]')
  check "$service runs as a non-root user (uid $uid)" test -n "$uid" -a "$uid" != 0
done

row_counts() { # every table of PayTrack's schema and its rows
  psql_db "SELECT table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
           FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
}
before=$(row_counts)

phase "down and up"
logs="$work.logs"
compose logs --no-color >"$logs" 2>&1 # down removes the containers and their logs: keep them for the secrets check
t0=$(date +%s)
compose down >"$work.down.log" 2>&1
if compose up -d --no-build >>"$work.down.log" 2>&1 && wait_healthy 240; then
  pass "down then up: every service healthy again ($(( $(date +%s) - t0 )) s)"
else
  fail "down then up: every service healthy again" "$(tail -5 "$work.down.log")"
fi
after=$(row_counts)
lost=$(join <(sort <<<"$before") <(sort <<<"$after") -a1 -e 0 -o 0,1.2,2.2 | awk '$3 < $2 {print $1 " " $2 "->" $3}')
check "every row survives down and up ($(wc -l <<<"$before") tables, $(awk '{s+=$2} END {print s}' <<<"$before") rows)" test -z "$lost" -a -n "$before"
[ -z "$lost" ] || echo "    lost: $lost"
check "the sign-in cookie from before still works (keys kept)" test "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$base/admin")" = 200

phase "secrets"
compose logs --no-color >>"$logs" 2>&1
cat "$work.up.log" "$work.down.log" >>"$logs" 2>/dev/null
leaks() { # the secrets this stack knows, in a log file
  grep -c -F -e "$password" -e "paytrack-local-only" -e "Password=" "$1"
}
check "no secret in the build log" test "$(leaks "$build_log")" = 0
check "no secret in any container's log ($(wc -l <"$logs") lines)" test "$(leaks "$logs")" = 0
layers=$(for image in paytrack-web:local paytrack-kronos-sim:local; do docker history --no-trunc "$image"; docker image inspect "$image"; done 2>&1)
check "no secret in the images' layers or settings ($(wc -l <<<"$layers") lines)" test "$(grep -c -F -e "$password" -e "paytrack-local-only" -e "Password=" <<<"$layers")" = 0
check "the request log names the user, not the query string" grep -q "HTTP GET /admin answered 200 .* for user " "$logs"

rm -f "$build_log" "$jar" "$logs" "$work.up.log" "$work.down.log"
echo "compose check took $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
