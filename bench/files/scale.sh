#!/usr/bin/env bash
# How the files collector's time and memory grow with the tree: generated trees of 10,000, 70,000 and 300,000 files
# (1 KiB each, 100 to a folder), each scanned three ways in one run: a first scan (every file hashed), a re-scan with
# nothing changed (hashes reused from the stat cache), and `find -printf` printing the same metadata (the floor of a
# re-scan: it lists and stats every path too). Package verification is off (--no-verify): these files belong to no
# package, and the package database's own cost is constant (bench/files/run.sh measures it on /usr/share).
# Usage: bench/files/scale.sh [COUNTS…] (default 10000 70000 300000). Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
counts=("${@:-10000 70000 300000}")
read -r -a counts <<<"${counts[*]}"
out=$(mktemp -d /tmp/infradiff-bench-scale.XXXXXX)
trap 'rm -rf "$out"' EXIT

source bench/common.sh

measure() { # label, command…: wall seconds and peak RSS
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1 || true
  read -r wall rss < <(tail -n 1 "$out/time")
  printf '  %-14s %7.2f s  %6d MiB\n' "$label" "$wall" $((rss / 1024))
}

printf '%s\n' "files: first scan, re-scan (nothing changed), find -printf"
for n in "${counts[@]}"; do
  tree=$out/tree-$n
  python3 - "$tree" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    folder = os.path.join(root, f"d{i // 100:05d}")
    if i % 100 == 0:
        os.makedirs(folder)
    with open(os.path.join(folder, f"f{i:07d}"), "wb") as f:
        f.write((f"file {i}\n" * 120)[:1024].encode())
PY
  sync
  export XDG_CACHE_HOME=$out/cache-$n
  echo "$n files:"
  measure "first scan" "$infradiff" snapshot --only files --files "$tree" --no-verify -o "$out/snapshot.json"
  measure "re-scan" "$infradiff" snapshot --only files --files "$tree" --no-verify -o "$out/snapshot.json"
  measure "find -printf" sh -c "find '$tree' -printf '%i %s %T@ %C@ %m %U %G %p\n' >/dev/null"
  rm -rf "$tree"
done
