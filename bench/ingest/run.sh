#!/usr/bin/env bash
# Ingest benchmark: 1,000,000 punches through parse + clean + merge, next to a plain binary COPY of the same rows
# into a bare table, in the same run, on a throwaway PostgreSQL (or the server in PAYTRACK_BENCH_CONNECTION).
# Usage: bench/ingest/run.sh [--users N] [--punches TOTAL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dotnet build "$here/PayTrack.IngestBench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet "$here/bin/Release/net10.0/PayTrack.IngestBench.dll" --results "$here/RESULTS.md" "$@"
