#!/usr/bin/env bash
# The store after 1,000 unchanged watch cycles of a host-sized files section (70,000 entries by default): how many
# snapshots it keeps and how many bytes the history adds. Runs StoreHistoryTests with a larger section; prints
# one line with the figures. Takes about 15-20 minutes on 2 cores (each cycle reads, diffs and digests the section).
set -euo pipefail
cd "$(dirname "$0")/../.."
export INFRADIFF_BENCH_HISTORY_ENTRIES=${1:-70000}
dotnet test tests/InfraDiff.IntegrationTests --filter "FullyQualifiedName~A_thousand_unchanged_cycles" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "unchanged cycles|Passed|Failed"
