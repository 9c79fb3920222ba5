#!/usr/bin/env bash
# Resource caps, measured in one run against the tool as installed:
#   1. --max-read-rate 50M: a full hash of /usr/share (no cache) takes its bytes / 50 MB/s, within ±10% (the walk and
#      the write of the snapshot are outside the pacing and counted in);
#   2. --io-class idle: dd reading a 1 GiB file with O_DIRECT alone, then beside a full hash of /usr/share under
#      --io-class idle (page cache dropped first, so the hash reads the disk): dd keeps ≥ 90% of its throughput;
#      the same beside a hash at the default class, for comparison.
# Usage: bench/caps/run.sh. Needs root (drop_caches). Takes about 3 minutes here.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d /tmp/infradiff-bench-caps.XXXXXX)
cleanup() { rm -rf "$out"; }
trap cleanup EXIT
source bench/common.sh
grep -H . /sys/block/[sv]d*/queue/scheduler /sys/block/nvme*/queue/scheduler 2>/dev/null | sed 's/^/I\/O scheduler: /' || true

bytes=$(find /usr/share -xdev -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
start=$(date +%s.%N)
"$infradiff" snapshot --only files --files /usr/share --no-cache --no-verify --max-read-rate 50M -o "$out/paced.json" 2>/dev/null
took=$(echo "$(date +%s.%N) - $start" | bc)
python3 -c "
b, t = $bytes, $took
expected = b / (50 * 2**20)
print(f'--max-read-rate 50M over /usr/share ({b / 2**20:,.0f} MiB): {t:.2f} s; at exactly 50 MiB/s {expected:.2f} s; ratio {t / expected:.3f} (target 0.9-1.1)')"

dd if=/dev/urandom of="$out/dd.bin" bs=1M count=1024 status=none
measure() {  # dd's MB/s reading the file with O_DIRECT
  dd if="$out/dd.bin" of=/dev/null bs=1M iflag=direct 2>&1 | sed -n 's/.*, \([0-9.,]* [MG]B\/s\)$/\1/p'
}
alone=$(measure)
for class in idle default; do
  sync; echo 3 >/proc/sys/vm/drop_caches
  args=(snapshot --only files --files /usr/share --no-cache --no-verify -o "$out/$class.json")
  [ "$class" = idle ] && args+=(--io-class idle)
  "$infradiff" "${args[@]}" 2>/dev/null &
  scan=$!
  sleep 1
  beside=$(measure)
  wait "$scan"
  echo "dd alone: $alone; beside a full hash at --io-class $class: $beside"
done
