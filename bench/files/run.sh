#!/usr/bin/env bash
# Benchmarks the files collector over a directory (default /usr/share) with a warm page cache, side by side
# with `find | xargs -P2 sha256sum` and AIDE's --init (sha256, num_workers=2) for a full hash, and with a
# `find -printf` stat walk printing the same metadata for a cached re-scan (its floor), in one run.
# Usage: bench/files/run.sh [DIR]. Installs Debian's aide and GNU time when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/usr/share}
out=$(mktemp -d /tmp/infradiff-bench-files.XXXXXX)
trap 'rm -rf "$out"' EXIT

command -v aide >/dev/null || apt-get install -y -qq aide >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
dotnet build src/InfraDiff.Cli -c Release --nologo -v quiet >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true
infradiff=src/InfraDiff.Cli/bin/Release/net10.0/infradiff

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
  walk=$(wall find "$dir" -xdev -printf '%i %s %T@ %C@ %m %u %g %p\n')
  aide=$(wall aide --config "$out/aide.conf" --init)
  printf 'run %d: sha256sum -P2 %6.2f s | infradiff full %6.2f s (collector %5d ms) | find -printf %5.2f s | infradiff cached %6.2f s (collector %4d ms) | aide --init %6.2f s\n' \
    "$run" "$sha" "$full" "$(collector_ms "$out/full.json")" "$walk" "$cached" "$(collector_ms "$out/cached.json")" "$aide"
done
python3 - "$out/full.json" "$out/cached.json" <<'PY'
import json, sys
full, cached = (json.load(open(p))["files"] for p in sys.argv[1:3])
print(f"entries: {len(full)}; identical with and without the cache: {full == cached}")
PY
