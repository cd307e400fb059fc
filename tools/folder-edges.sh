#!/usr/bin/env bash
# Counts the folder-to-folder imports inside src/PayTrack.Web and checks that they point downwards only.
#
# The floors, lowest first: a folder may import (`using`, `@using`, or a fully qualified name) only folders on
# a lower floor. Data/ is the ground floor: it imports no feature folder (only LocalPostgres, the embedded
# server it may start, which imports nothing of ours). A folder not listed here is an error,
# so a new folder gets a floor on purpose. Past migrations (Data/Migrations/2*) are left out: their designer files
# record the entity names of their day and are never edited; the model snapshot is counted.
#
#   tools/folder-edges.sh            prints every edge with its count, then "N edges, N upward"
#   tools/folder-edges.sh --check    the same; exits 1 when any edge points upward
set -euo pipefail
cd "$(dirname "$0")/../src/PayTrack.Web"

floors=(
  LocalPostgres
  Data
  Operations
  Live
  Kronos
  Pay
  Timecards
  Connections
  Sync
  Dashboard
  Notion
  CalendarFeed
  Api
  Components
  Cli
)

declare -A floor_of
for i in "${!floors[@]}"; do floor_of[${floors[$i]}]=$i; done

sources() {
  find . -path ./bin -prune -o -path ./obj -prune -o -path ./node_modules -prune -o \
    -path './Data/Migrations/2*' -prune -o \( -name '*.cs' -o -name '*.razor' \) -print
}

# Inside namespace PayTrack.Web.X a folder is also named without the prefix ("Dashboard.UserPaySettings"). Such a
# name counts when what follows the folder is a type declared in it or one of its subfolders; other "Word.Member"
# text (a property called Connections, say) does not.
declare -A known
while read -r folder name; do known["$folder.$name"]=1; done < <(
  sources | while read -r file; do
    folder=${file#./}; folder=${folder%%/*}
    [ -d "$folder" ] || continue
    { grep -ohE '\b(class|record|struct|enum|interface)[[:space:]]+[A-Z][A-Za-z0-9_]*' "$file" || true; } | awk -v f="$folder" '{ print f, $2 }'
    case "$file" in *.razor) name=${file##*/}; echo "$folder ${name%.razor}" ;; esac
    sub=${file#./$folder/}
    if [ "$sub" != "${sub#*/}" ]; then echo "$folder ${sub%%/*}"; fi
  done | sort -u)
folders=$(for d in */; do d=${d%/}; if [ -n "${floor_of[$d]+x}" ]; then printf '%s|' "$d"; fi; done); folders=${folders%|}

edges=$(
  sources |
  while read -r file; do
    from=${file#./}; from=${from%%/*}
    [ -d "$from" ] || continue   # files at the project's root (Program.cs) sit above every floor
    {
      { grep -ohE 'PayTrack\.Web\.[A-Z][A-Za-z]*' "$file" || true; } | sed 's/^PayTrack\.Web\.//'
      { grep -ohP "(?<![\w.\"/])($folders)\.[A-Z]\w*" "$file" || true; } | while IFS=. read -r to name; do
        if [ -n "${known[$to.$name]+x}" ]; then echo "$to"; fi
      done
    } | sort -u |
      while read -r to; do
        [ "$to" = "$from" ] && continue
        [ -d "$to" ] || continue
        echo "$from $to"
      done
  done | sort | uniq -c
)

upward=0 total=0 unknown=0
while read -r count from to; do
  [ -n "${count:-}" ] || continue
  total=$((total + 1))
  if [ -z "${floor_of[$from]+x}" ] || [ -z "${floor_of[$to]+x}" ]; then
    printf '%4d  %-12s -> %-12s  folder without a floor (add it to tools/folder-edges.sh)\n' "$count" "$from" "$to"
    unknown=$((unknown + 1))
  elif [ "${floor_of[$from]}" -lt "${floor_of[$to]}" ]; then
    printf '%4d  %-12s -> %-12s  UPWARD\n' "$count" "$from" "$to"
    upward=$((upward + 1))
  else
    printf '%4d  %-12s -> %s\n' "$count" "$from" "$to"
  fi
done <<<"$edges"

echo "$total edges, $upward upward, $unknown without a floor"
if [ "${1:-}" = "--check" ] && [ $((upward + unknown)) -gt 0 ]; then
  exit 1
fi
