#!/usr/bin/env bash
# A host snapshot without the files and docker collectors, side by side in one run with the Bash toolkit's
# snapshot.sh (../shared/seed/toolkit, or SEED=path), which collects the same kinds of things by shelling out.
# As shipped the seed dies without systemd as PID 1 (set -e around systemctl list-units), so it runs with a systemctl
# wrapper first on PATH that runs the real one and exits 0, as its README there describes.
# Usage: bench/host/run.sh [RUNS] (default 9); prints each tool's median wall time and the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-9}
seed=${SEED:-$PWD/../shared/seed/toolkit/snapshot.sh}
out=$(mktemp -d /tmp/infradiff-bench-host.XXXXXX)
trap 'rm -rf "$out"' EXIT

command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
source bench/common.sh
mkdir -p "$out/bin"
printf '#!/bin/sh\n/usr/bin/systemctl "$@"\nexit 0\n' >"$out/bin/systemctl"
chmod +x "$out/bin/systemctl"

# Median wall seconds of RUNS runs of a command (after one unmeasured run that warms the page cache).
median() {
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
print(f"{statistics.median(times):.3f}")
PY
}

ours=$(median "$infradiff" snapshot --exclude files,docker -o "$out/snapshot.json")
theirs=$(PATH="$out/bin:$PATH" median bash "$seed")
slowest=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["metadata"]["collectors"]; n=max(c,key=lambda k:c[k]["durationMs"]); print(n, c[n]["durationMs"], "ms")' "$out/snapshot.json")
echo "infradiff snapshot --exclude files,docker: ${ours} s (slowest collector of the last run: ${slowest})"
echo "seed snapshot.sh (systemctl wrapper):      ${theirs} s"
python3 -c "import sys; print(f'ratio: {float(sys.argv[1])/float(sys.argv[2]):.2f}x')" "$ours" "$theirs"
