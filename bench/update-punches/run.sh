#!/usr/bin/env bash
# update-punches across 10,000 simulator accounts: one PayTrack node, then two nodes on one database, all as real
# processes (Release build), each scenario on a fresh copy of the same seeded database. Prints the figures and writes
# them to RESULTS.md. Options: --users N (10000), --latency-ms MS (50), --parallelism P (per node, 6).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/results-local"
mkdir -p "$work"

dotnet build "$root/src/PayTrack.Web/PayTrack.Web.csproj" -c Release --nologo -v q -clp:ErrorsOnly
dotnet build "$root/src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/simulator"
dotnet build "$here/UpdatePunchesBench.csproj" -c Release --nologo -v q -clp:ErrorsOnly -o "$work/bench"

dotnet "$work/bench/UpdatePunchesBench.dll" \
  --web-dll "$root/src/PayTrack.Web/bin/Release/net10.0/PayTrack.Web.dll" \
  --simulator-dll "$work/simulator/PayTrack.KronosSimulator.dll" \
  --work "$work" --results "$here/RESULTS.md" "$@"
