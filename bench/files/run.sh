#!/usr/bin/env bash
# Benchmarks the files collector over a directory (default /usr/share) with a warm page cache, side by side
# with `find | xargs -P2 sha256sum` and AIDE's --init (sha256, num_workers=2) for a full hash, and with a
# `find -printf` stat walk printing the same metadata for a cached re-scan (its floor), in one run. A re-scan
# without package verification shows what reading the package database costs (find reads none), and `openssl
# speed` gives the digests' own floor for a full hash: every byte through SHA-256 and every packaged byte through
# the database's MD5, on all cores.
# Usage: bench/files/run.sh [DIR]. Installs Debian's aide and GNU time when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/usr/share}
out=$(mktemp -d /tmp/infradiff-bench-files.XXXXXX)
trap 'rm -rf "$out"' EXIT

command -v aide >/dev/null || apt-get install -y -qq aide >/dev/null
source bench/common.sh

echo "$dir: $(find "$dir" -xdev -type f | wc -l) files, $(du -sx --block-size=1M "$dir" | cut -f1) MiB"
# Warm the page cache so every tool reads from memory.
find "$dir" -xdev -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true

wall() { # prints the wall seconds of a command
  /usr/bin/time -f "%e" -o "$out/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out/time"
}
collector_ms() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["collectors"]["files"]["durationMs"])' "$1"; }

cat >"$out/aide.conf" <<CONF
database_in=file:$out/aide.db
database_out=file:$out/aide.db.new
num_workers=2
gzip_dbout=no
Bench = p+u+g+s+n+sha256
$dir Bench
CONF

for run in 1 2 3; do
  sha=$(wall sh -c "find '$dir' -xdev -type f -print0 | xargs -0 -P2 sha256sum")
  full=$(wall "$infradiff" snapshot --only files --files "$dir" --no-cache -o "$out/full.json")
  rm -rf "$out/cache"
  "$infradiff" snapshot --only files --files "$dir" --cache-dir "$out/cache" -o "$out/prime.json"
  cached=$(wall "$infradiff" snapshot --only files --files "$dir" --cache-dir "$out/cache" -o "$out/cached.json")
  rm -rf "$out/cache-nv"
  "$infradiff" snapshot --only files --files "$dir" --no-verify --cache-dir "$out/cache-nv" -o "$out/prime-nv.json"
  unverified=$(wall "$infradiff" snapshot --only files --files "$dir" --no-verify --cache-dir "$out/cache-nv" -o "$out/cached-nv.json")
  walk=$(wall find "$dir" -xdev -printf '%i %s %T@ %C@ %m %U %G %p\n')
  aide=$(wall aide --config "$out/aide.conf" --init)
  printf 'run %d: sha256sum -P2 %6.2f s | infradiff full %6.2f s (collector %5d ms) | find -printf %5.2f s | infradiff cached %5.2f s (collector %4d ms), --no-verify %5.2f s | aide --init %6.2f s\n' \
    "$run" "$sha" "$full" "$(collector_ms "$out/full.json")" "$walk" "$cached" "$(collector_ms "$out/cached.json")" "$unverified" "$aide"
done
speed() { openssl speed -seconds 2 -bytes 131072 -evp "$1" 2>/dev/null | awk -v a="$1" '$1 == a { sub(/k$/, "", $NF); print $NF * 1000 }'; }
python3 - "$out/full.json" "$out/cached.json" "$(speed sha256)" "$(speed md5)" "$(nproc)" <<'PY'
import json, sys
full, cached = (json.load(open(p))["files"] for p in sys.argv[1:3])
sha256, md5, cores = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"entries: {len(full)}; identical with and without the cache: {full == cached}")
files = [e for e in full.values() if e["type"] == "file"]
total = sum(e.get("size", 0) for e in files)
packaged = sum(e.get("size", 0) for e in files if "verified" in e)
floor = (total / sha256 + packaged / md5) / cores
print(f"digests alone: {total / 1e9:.2f} GB through SHA-256 ({sha256 / 1e9:.2f} GB/s a core), {packaged / 1e9:.2f} GB of it "
      f"through MD5 ({md5 / 1e9:.2f} GB/s a core): {floor:.2f} s on {cores} cores")
PY
