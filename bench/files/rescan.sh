#!/usr/bin/env bash
# A cached re-scan of real trees (default: the files collector's default roots that exist here, the scan a plain
# `infradiff snapshot` does), side by side in one run with `find -printf` printing the same metadata over the same
# roots, on one filesystem each as the collector stays: five runs each, alternating, medians and peak RSS.
# find prints owners as numbers: names would go through NSS, which on a host with nss-systemd (Debian's systemd
# packages add it) asks systemd about every unknown id and costs find 4x here; infradiff reads /etc/passwd itself.
# Usage: bench/files/rescan.sh [DIR…]. Package verification on; the first, priming scan is not timed. Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
defaults=(/etc /usr /boot /root /opt /srv /var/spool/cron /bin /sbin /lib /lib64)
roots=("${@:-${defaults[@]}}")
out=$(mktemp -d /tmp/infradiff-bench-rescan.XXXXXX)
trap 'rm -rf "$out"' EXIT

source bench/common.sh

files=() # --files once per root, as the CLI takes them
real=()  # what find walks: the roots that are directories, not links to one (the collector records a link, not its target)
for root in "${roots[@]}"; do
  files+=(--files "$root")
  if [ -d "$root" ] && [ ! -L "$root" ]; then real+=("$root"); fi
done

"$infradiff" snapshot --only files "${files[@]}" --cache-dir "$out/cache" -o "$out/prime.json" 2>/dev/null || true
measure() { # label, command…: prints "wall rss"
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out/time"
}
ours=() theirs=()
for run in 1 2 3 4 5; do
  read -r wall rss < <(measure "$infradiff" snapshot --only files "${files[@]}" --cache-dir "$out/cache" -o "$out/rescan.json")
  ours+=("$wall")
  read -r fwall _ < <(measure find "${real[@]}" -xdev -printf '%i %s %T@ %C@ %m %U %G %p\n')
  theirs+=("$fwall")
  printf 'run %d: infradiff re-scan %6.2f s (%d MiB peak) | find -printf %6.2f s\n' "$run" "$wall" $((rss / 1024)) "$fwall"
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
python3 - "$out/rescan.json" "$(median "${ours[@]}")" "$(median "${theirs[@]}")" <<'PY'
import json, sys
entries = len(json.load(open(sys.argv[1]))["files"])
ours, theirs = float(sys.argv[2]), float(sys.argv[3])
print(f"{entries} entries; medians: infradiff {ours:.2f} s, find {theirs:.2f} s, ratio {ours / theirs:.2f}x")
PY
