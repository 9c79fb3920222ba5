#!/usr/bin/env bash
# Real-time watching, measured in one run against the tool as installed: `infradiff watch --realtime` over the files
# collector's default roots (hash cache primed, so its first cycle is a cached full re-scan), then
#   1. latency: 100 writes to a file in /etc, one after another, each timed from the write to its alert on stdout;
#   2. a targeted cycle's time (each write's) against the full cycle's, as the watcher's own log lines give them;
#   3. idle: the watcher's CPU time (utime + stime from /proc) over IDLE seconds with nothing written (default 600);
#   4. a storm: a package of FILES files (default 20,000) upgraded with dpkg while watching: how many alerts, whether
#      they account for every file (a full cycle afterwards finds nothing), and the watcher's peak memory (VmHWM).
# Usage: bench/realtime/run.sh [IDLE_SECONDS] [FILES]. Needs root (fanotify; dpkg installs and purges a test package).
set -euo pipefail
cd "$(dirname "$0")/../.."
idle=${1:-600}
count=${2:-20000}
out=$(mktemp -d /tmp/infradiff-bench-realtime.XXXXXX)
package=infradiff-bench-storm
cleanup() {
  [ -n "${watcher:-}" ] && kill -TERM "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null || true
  dpkg --purge "$package" >/dev/null 2>&1 || true
  rm -f /etc/infradiff-bench-realtime
  rm -rf "$out"
}
trap cleanup EXIT
source bench/common.sh

# Two versions of a package whose every file changes between them.
for version in 1 2; do
  tree=$out/pkg$version
  mkdir -p "$tree/DEBIAN" "$tree/usr/share/$package"
  python3 - "$tree/usr/share/$package" "$count" "$version" <<'PY'
import os, sys
folder, count, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(count):
    sub = os.path.join(folder, f"d{i // 1000:02d}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"f{i:05d}"), "w") as f:
        f.write(f"{version} {i}\n" * 4)
PY
  (cd "$tree" && find usr -type f -print0 | xargs -0 md5sum >DEBIAN/md5sums)
  printf 'Package: %s\nVersion: %s.0\nArchitecture: all\nMaintainer: bench <bench@localhost>\nDescription: infradiff bench storm\n' "$package" "$version" >"$tree/DEBIAN/control"
  dpkg-deb --root-owner-group --build "$tree" "$out/v$version.deb" >/dev/null
done
dpkg -i "$out/v1.deb" >/dev/null

# The floor: the same 100 writes with only /etc watched, where a cycle costs next to nothing and the settle time is
# most of the latency.
"$infradiff" watch --realtime --only files --files /etc --dir "$out/etc-store" --cache-dir "$out/cache" --key-file "$out/etc-key" \
  --interval 24h --heartbeat off >"$out/etc-alerts.jsonl" 2>"$out/etc-log" &
watcher=$!
python3 - "$out/etc-alerts.jsonl" "$out/etc-log" <<'PY'
import sys, time
sys.path.insert(0, "bench/realtime")
from writes import latencies
while "cycle done" not in open(sys.argv[2]).read():
    time.sleep(0.05)
measured = latencies(open(sys.argv[1]))
print(f"latency with only /etc watched, 100 writes: p50 {measured[49]:.3f} s, p99 {measured[98]:.3f} s (settle 0.5 s included)", flush=True)
PY
kill -TERM "$watcher"; wait "$watcher" || true
watcher=

"$infradiff" snapshot --only files,packages --cache-dir "$out/cache" -o "$out/prime.json" 2>/dev/null
"$infradiff" watch --realtime --only files,packages --dir "$out/store" --cache-dir "$out/cache" --key-file "$out/key" \
  --interval 24h --heartbeat off >"$out/alerts.jsonl" 2>"$out/log" &
watcher=$!
python3 -u - "$watcher" "$out" "$idle" "$out/v2.deb" "$count" <<'PY'
import json, os, re, statistics, subprocess, sys, time
sys.path.insert(0, "bench/realtime")
import writes
pid, out, idle, deb = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
alerts, log = open(f"{out}/alerts.jsonl"), open(f"{out}/log")
logged = []

def read_log():
    logged.extend(l.rstrip("\n") for l in log.readlines())

def wait_log(pattern, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        read_log()
        for line in logged:
            if re.search(pattern, line):
                return line
        time.sleep(0.01)
    sys.exit(f"timed out waiting for {pattern!r} in the log:\n" + "\n".join(logged))

def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def hwm():
    return next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM:")) // 1024

full = float(re.search(r"full cycle done in ([\d.]+) s", wait_log(r"full cycle done")).group(1))
print(f"full cycle (cached re-scan of the default roots, first cycle): {full:.3f} s, peak {hwm()} MiB")
latencies = writes.latencies(alerts)
read_log()
targeted = [float(m.group(1)) for m in (re.search(r"targeted \(1 path changed\) cycle done in ([\d.]+) s", l) for l in logged) if m]
p50, p99 = latencies[49], latencies[98]
print(f"latency, write in /etc to alert on stdout, 100 writes: p50 {p50:.3f} s, p99 {p99:.3f} s, max {latencies[-1]:.3f} s (settle 0.5 s included)")
print(f"targeted cycle for one file: median {statistics.median(targeted):.3f} s over {len(targeted)} = {100 * statistics.median(targeted) / full:.1f}% of the full cycle; peak {hwm()} MiB")

time.sleep(5)
before, started = cpu(), time.monotonic()
time.sleep(idle)
spent, elapsed = cpu() - before, time.monotonic() - started
print(f"idle {elapsed:.0f} s: {spent:.2f} s CPU = {100 * spent / elapsed:.3f}% of one core")

alerts.readlines()
read_log()
cycles_before = len([l for l in logged if "cycle done" in l])
started = time.monotonic()
subprocess.run(["dpkg", "-i", deb], check=True, stdout=subprocess.DEVNULL)
upgraded = time.monotonic() - started

# Until the alerts account for the upgrade (its files and its package), or two minutes.
storm, deadline = [], time.time() + 120
while sum(a["totals"]["changes"] for a in storm) < int(sys.argv[5]) + 1 and time.time() < deadline:
    storm += [json.loads(l) for l in alerts.readlines() if l.strip()]
    time.sleep(0.1)
time.sleep(3)
storm += [json.loads(l) for l in alerts.readlines() if l.strip()]
read_log()
cycles = [l for l in logged if "cycle done" in l][cycles_before:]
total = sum(a["totals"]["changes"] for a in storm)
print(f"storm: dpkg -i upgrade of {deb.rsplit('/', 1)[1]} took {upgraded:.1f} s; {len(cycles)} cycles, {len(storm)} alerts, {total} changes; watcher peak {hwm()} MiB")
for line in cycles:
    print("  " + line.split("info: ", 1)[1])
PY
kill -TERM "$watcher"; wait "$watcher" || true
watcher=
# Every file accounted for: a full cycle against what the watcher stored last finds nothing.
"$infradiff" watch --once --only files,packages --dir "$out/store" --cache-dir "$out/cache" --key-file "$out/key" --heartbeat off >"$out/after.jsonl" 2>"$out/after.log"
echo "full cycle after the storm: $(grep -o 'cycle done in .*' "$out/after.log")"
