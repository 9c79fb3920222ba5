#!/usr/bin/env bash
# Measures what package verification costs the files collector: full and cached scans of a directory (default
# /usr) with and without it (--no-verify), alternated in one run, three rounds; warm page cache.
# Usage: bench/files/verify.sh [DIR]. Installs GNU time when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/usr}
out=$(mktemp -d /tmp/infradiff-bench-verify.XXXXXX)
trap 'rm -rf "$out"' EXIT

source bench/common.sh

echo "$dir: $(find "$dir" -xdev -type f | wc -l) files, $(du -sx --block-size=1M "$dir" | cut -f1) MiB"
find "$dir" -xdev -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true

wall() { /usr/bin/time -f "%e" -o "$out/time" "$@" >/dev/null 2>&1 || true; tail -n 1 "$out/time"; }
snap=("$infradiff" snapshot --only files --files "$dir")

for run in 1 2 3; do
  plain=$(wall "${snap[@]}" --no-cache --no-verify -o "$out/plain.json")
  verify=$(wall "${snap[@]}" --no-cache -o "$out/verify.json")
  rm -rf "$out/c1" "$out/c2"
  "${snap[@]}" --cache-dir "$out/c1" --no-verify -o "$out/prime.json" >/dev/null 2>&1 || true
  "${snap[@]}" --cache-dir "$out/c2" -o "$out/prime.json" >/dev/null 2>&1 || true
  cplain=$(wall "${snap[@]}" --cache-dir "$out/c1" --no-verify -o "$out/cplain.json")
  cverify=$(wall "${snap[@]}" --cache-dir "$out/c2" -o "$out/cverify.json")
  printf 'run %d: full %6.2f s, with verification %6.2f s (%.2fx) | cached %6.2f s, with verification %6.2f s (%.2fx)\n' \
    "$run" "$plain" "$verify" "$(echo "$verify / $plain" | bc -l)" "$cplain" "$cverify" "$(echo "$cverify / $cplain" | bc -l)"
done
python3 - "$out/verify.json" <<'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
owned = sum(1 for e in files.values() if "package" in e)
verified = sum(1 for e in files.values() if e.get("verified") is True)
failed = [p for p, e in files.items() if e.get("verified") is False]
print(f"entries: {len(files)}, owned by a package: {owned}, verified: {verified}, not verifying: {len(failed)} {failed[:5]}")
PY
