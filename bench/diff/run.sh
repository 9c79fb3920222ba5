#!/usr/bin/env bash
# Benchmarks `infradiff diff A B --format json-patch` end to end (process start, parse, diff, write) against
# Node.js running fast-json-patch's compare on the same two files (parse included), in the same run.
# Usage: bench/diff/run.sh [ENTRIES]   (default 1000000). Needs python3, node/npm and GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
entries=${1:-1000000}
out=bench/out/diff
mkdir -p "$out"

(cd bench/peers && [ -d node_modules/fast-json-patch ] || npm ci --no-audit --no-fund --silent)
source bench/common.sh

if [ ! -f "$out/before-$entries.json" ]; then
  python3 bench/diff/generate.py "$entries" "$out/before-$entries.json" "$out/after-$entries.json"
fi
ls -l "$out/before-$entries.json" "$out/after-$entries.json" | awk '{print $5, $9}'

measure() { # name, command…: one warm-up run, then five measured; prints each and the median
  local name=$1; shift
  "$@" >/dev/null || true
  local walls=()
  for run in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null || true
    read -r wall rss < <(tail -n 1 "$out/time")
    walls+=("$wall")
    printf '%-24s run %d: %6.2f s wall, %6d MiB peak RSS\n' "$name" "$run" "$wall" "$((rss / 1024))"
  done
  printf '%-24s median: %6.2f s\n' "$name" "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 3p)"
}

cat /dev/null >"$out/infradiff.patch.json"
measure "infradiff diff" sh -c "$infradiff diff '$out/before-$entries.json' '$out/after-$entries.json' --format json-patch > '$out/infradiff.patch.json'"
measure "fast-json-patch compare" node --max-old-space-size=16384 bench/peers/fast-json-patch-compare.js "$out/before-$entries.json" "$out/after-$entries.json" "$out/fjp.patch.json"
python3 - "$out/infradiff.patch.json" "$out/fjp.patch.json" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
count = lambda patch: {op: sum(1 for o in patch if o["op"] == op) for op in ("add", "remove", "replace", "test")}
print("infradiff patch:       ", count(ours))
print("fast-json-patch patch: ", count(theirs))
PY
