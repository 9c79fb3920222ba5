#!/usr/bin/env bash
# Store growth: `infradiff watch --realtime` over the files collector's default roots (its first cycle a full scan
# with a fresh hash cache), then CYCLES cycles (default 100) each caused by one small file in /etc changed, with the
# default --keep 100. Prints the store's size on disk (everything in it: chunks, manifests, baseline, journal, cycle
# records) and what the same snapshots would take stored whole; then checks, independently of the tool (Python's
# zlib and hashlib), that every stored snapshot reads back to the exact text its manifest names, and runs
# `infradiff verify`. Needs root (fanotify). Takes about 6 minutes here.
# Usage: bench/store/growth.sh [CYCLES]
set -euo pipefail
cd "$(dirname "$0")/../.."
cycles=${1:-100}
out=$(mktemp -d /tmp/infradiff-bench-growth.XXXXXX)
cleanup() {
  [ -n "${watcher:-}" ] && kill -TERM "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null || true
  rm -f /etc/infradiff-bench-growth
  rm -rf "$out"
}
trap cleanup EXIT
source bench/common.sh

echo 0 >/etc/infradiff-bench-growth
"$infradiff" watch --realtime --dir "$out/store" --cache-dir "$out/cache" --key-file "$out/key" \
  --interval 24h --heartbeat off >"$out/alerts.jsonl" 2>"$out/log" &
watcher=$!
python3 - "$out/store/reports" "$cycles" <<'PY'
import os, sys, time
reports, cycles = sys.argv[1], int(sys.argv[2])
def count():
    return len([n for n in os.listdir(reports) if n.startswith("cycle-")]) if os.path.isdir(reports) else 0
start = time.time()
while count() < 1:
    time.sleep(0.2)
print(f"first (full) cycle: {time.time() - start:.0f} s", flush=True)
for i in range(1, cycles + 1):
    with open("/etc/infradiff-bench-growth", "w") as f:
        f.write(f"{i}\n")
    deadline = time.time() + 60
    while count() < i + 1:
        if time.time() > deadline:
            sys.exit(f"cycle {i} did not come within 60 s")
        time.sleep(0.05)
PY
kill -TERM "$watcher"; wait "$watcher" || true
watcher=
python3 - "$out/log" <<'PY'
import re, statistics, sys
times = [float(m) for m in re.findall(r"targeted \(1 path changed\) cycle done in ([0-9.]+) s", open(sys.argv[1]).read())]
print(f"{len(times)} targeted cycles, each storing a snapshot: median {statistics.median(times):.3f} s, max {max(times):.3f} s", flush=True)
PY

python3 - "$out/store" <<'PY'
import hashlib, json, os, sys, zlib
store = sys.argv[1]
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(store) for f in fs)
chunks = os.path.join(store, "chunks")
chunk_bytes = sum(os.path.getsize(os.path.join(chunks, f)) for f in os.listdir(chunks))
names = sorted(n for n in os.listdir(store) if n.startswith("snapshot-") or n == "baseline.json")
whole = 0
for number, name in enumerate(names):
    data = open(os.path.join(store, name), "rb").read()
    manifest = json.loads(data)
    text = b"".join(zlib.decompress(open(os.path.join(chunks, c + ".chunk"), "rb").read(), -15) for c in manifest["chunks"])
    assert len(text) == manifest["length"] and hashlib.sha256(text).hexdigest() == manifest["sha256"], name
    if number in (0, len(names) - 1):
        json.loads(text)
    whole += len(text)
print(f"store after the cycles: {size / 1e6:.1f} MB on disk ({len(names)} snapshots; "
      f"{len(os.listdir(chunks))} chunks, {chunk_bytes / 1e6:.1f} MB); stored whole they would take {whole / 1e6:.1f} MB; "
      f"each snapshot {whole / len(names) / 1e6:.1f} MB of text, every one read back to its manifest's SHA-256")
PY
"$infradiff" verify --dir "$out/store" --key-file "$out/key"
