#!/usr/bin/env bash
# One table no peer publishes: a first full scan and a re-scan of the same tree, in one run, by infradiff (files
# section, package verification on: SHA-256 of every file and the MD5 dpkg records), AIDE (--init, then --check,
# with a config of the same scope: type, permissions, inode, links, owner, group, size, mtime, ctime and SHA-256 of
# every file, two workers), `find | xargs -0 -P2 sha256sum`, and `debsums -c` (verification only: the MD5 of every
# file of every installed package, the tree's or not). For each: wall seconds, files/s, MB/s, CPU seconds (user +
# system) and peak RSS. Warm page cache; medians of three rounds. `openssl speed` gives one core's MD5 and SHA-256.
# Usage: bench/peers/files.sh [DIR] (default /usr). Installs Debian's aide, debsums and GNU time when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/usr}
out=$(mktemp -d /tmp/infradiff-bench-peers.XXXXXX)
trap 'rm -rf "$out"' EXIT

for tool in aide debsums; do command -v "$tool" >/dev/null || apt-get install -y -qq "$tool" >/dev/null; done
source bench/common.sh

files=$(find "$dir" -xdev -type f | wc -l)
bytes=$(find "$dir" -xdev -type f -printf '%s\n' | awk '{s += $1} END {print s}')
packaged=$(cat /var/lib/dpkg/info/*.md5sums | wc -l)
echo "$dir: $files files, $((bytes / 1048576)) MiB; dpkg records $packaged files' MD5 (debsums checks those)"
echo "openssl speed, one core, 16 KiB blocks: MD5 $(openssl speed -evp md5 -seconds 2 -bytes 16384 2>/dev/null | awk '/^md5/ {printf "%.0f MB/s", $2 / 1000}'), SHA-256 $(openssl speed -evp sha256 -seconds 2 -bytes 16384 2>/dev/null | awk '/^sha256/ {printf "%.0f MB/s", $2 / 1000}')"
find "$dir" -xdev -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true

cat >"$out/aide.conf" <<CONF
database_in=file:$out/aide.db
database_out=file:$out/aide.db.new
num_workers=2
gzip_dbout=no
Bench = p+i+n+u+g+s+m+c+sha256
$dir Bench
CONF

# Runs a command under GNU time, appending "NAME wall cpu rss_kb" to the results.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >/dev/null 2>&1 || true
  read -r wall user system rss < <(tail -n 1 "$out/time")
  echo "$name $wall $(echo "$user + $system" | bc -l) $rss" >>"$out/results"
}

for run in 1 2 3; do
  rm -rf "$out/cache" "$out/aide.db"
  measure "infradiff-first" "$infradiff" snapshot --only files --files "$dir" --cache-dir "$out/cache" -o "$out/first.json"
  measure "infradiff-rescan" "$infradiff" snapshot --only files --files "$dir" --cache-dir "$out/cache" -o "$out/again.json"
  measure "aide-init" aide --config "$out/aide.conf" --init
  mv "$out/aide.db.new" "$out/aide.db"
  measure "aide-check" aide --config "$out/aide.conf" --check
  measure "sha256sum-P2" sh -c "find '$dir' -xdev -type f -print0 | xargs -0 -P2 sha256sum"
  measure "debsums-c" debsums -c
  echo "round $run done" >&2
done

python3 - "$out/results" "$files" "$bytes" <<'PY'
import statistics, sys
rows, files, size = {}, int(sys.argv[2]), int(sys.argv[3])
for line in open(sys.argv[1]):
    name, wall, cpu, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(cpu), int(rss)))
print(f"| tool, pass | wall (median of {len(next(iter(rows.values())))}) | files/s | MB/s | CPU s | peak RSS |")
print("| --- | --- | --- | --- | --- | --- |")
for name, runs in rows.items():
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs) / 1024
    rate = f"{files / wall:,.0f} | {size / wall / 1e6:,.0f}" if not name.startswith("debsums") else "– | –"
    print(f"| {name} | {wall:.2f} s | {rate} | {cpu:.2f} | {rss:,.0f} MiB |")
PY
