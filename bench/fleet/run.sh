#!/usr/bin/env bash
# A fleet of HOSTS simulated hosts on this machine, each a real sshd on its own loopback port, in its own UTS
# namespace, snapshotting a copy of the fixture root (infradiff_root); `infradiff fleet snapshot` reaches them with
# FORKS at a time. Prints one host's time alone, the whole fleet's, the per-host figure, the issue's bound
# 1.3 × (HOSTS / FORKS) × one host, and the controller's peak memory at 10, 25 and HOSTS hosts (it must stay flat).
# Usage: bench/fleet/run.sh [HOSTS] [FORKS] (default 50 10). Needs root (namespaces), openssh-server.
# INFRADIFF_FLEET_TOOLS=DIR reuses builds made by deploy/fleet/fleet-tools.sh (a build takes about 2.5 minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${1:-50}
forks=${2:-10}
out=$(mktemp -d /tmp/infradiff-bench-fleet.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT

source bench/common.sh
tools=${INFRADIFF_FLEET_TOOLS:-$out/tools}
[[ -x $tools/infradiff-linux-x64 ]] || deploy/fleet/fleet-tools.sh -o "$tools" linux-x64 >/dev/null

mkdir -p /run/sshd "$out/hostcache"
cp -a tests/InfraDiff.Core.Tests/fixtures/debian12/root "$out/root"
ssh-keygen -q -t ed25519 -N '' -f "$out/client"
ssh-keygen -q -t ed25519 -N '' -f "$out/hostkey"
base=$(( 20000 + RANDOM % 20000 ))
: >"$out/known_hosts"
printf '[all:vars]\nansible_host=127.0.0.1\ninfradiff_root=%s\nansible_ssh_common_args="-F %s"\n[fleet]\n' "$out/root" "$out/ssh_config" >"$out/hosts.ini"
for i in $(seq 1 "$hosts"); do
  name=$(printf 'h%03d' "$i")
  port=$((base + i))
  # One host key and one tool cache for all: the hosts are this machine (50 copies of a 120 MB build would only measure the disk).
  cat >"$out/sshd-$name.conf" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $out/hostkey
PidFile $out/sshd-$name.pid
UsePAM no
PermitRootLogin prohibit-password
AuthorizedKeysFile $out/client.pub
StrictModes no
PasswordAuthentication no
MaxStartups 100
LogLevel ERROR
SetEnv XDG_CACHE_HOME=$out/hostcache
CONF
  unshare --uts sh -c "hostname $name && exec /usr/sbin/sshd -D -f $out/sshd-$name.conf" &
  pids+=($!)
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$out/hostkey.pub")" >>"$out/known_hosts"
  echo "$name ansible_port=$port" >>"$out/hosts.ini"
done
printf 'Host *\n  UserKnownHostsFile %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  StrictHostKeyChecking yes\n  User root\n' "$out/known_hosts" "$out/client" >"$out/ssh_config"
sleep 1

fleet() { "$infradiff" fleet snapshot -i "$out/hosts.ini" --tools "$tools" --store "$out/store" --exclude files --exclude docker --quiet "$@" >/dev/null; }
# Median wall seconds of 5 runs; the controller's peak RSS of the last (GNU time's maxrss of the command itself).
measure() {
  python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
times = []
for _ in range(5):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{statistics.median(times):.2f} {peak}")
PY
}

fleet --forks "$forks" || true   # copies the tool once and probes every host; not measured
export -f fleet; export infradiff out tools
read -r one one_mib < <(measure bash -c 'fleet --limit h001 --forks 1')
for n in 10 25 "$hosts"; do
  limit=$(python3 -c "print(':'.join('h%03d' % i for i in range(1, $n + 1)))")
  read -r wall mib < <(measure bash -c "fleet --limit '$limit' --forks $forks")
  echo "$n hosts, $forks forks: ${wall} s, controller peak ${mib} MiB"
  last_wall=$wall
done
# The whole machine's busy CPU seconds over one more run of the fleet: controller, ssh clients, sshds and the tool on
# every simulated host together. When that divided by the cores is the wall time, the cores are the floor.
busy() { awk '/^cpu / {print ($2 + $3 + $4 + $7 + $8) / 100}' /proc/stat; }
before=$(busy)
fleet --forks "$forks"
cpu=$(python3 -c "print($(busy) - $before)")
cpus=$(nproc)
python3 - "$hosts" "$forks" "$one" "$last_wall" "$cpus" "$cpu" <<'PY'
import sys
hosts, forks, one, wall, cpus, cpu = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
bound = 1.3 * hosts / forks * one
print(f"one host alone: {one:.2f} s; {hosts} hosts with {forks} forks: {wall:.2f} s = {wall / hosts:.3f} s a host")
print(f"bound 1.3 x ({hosts} / {forks}) x {one:.2f} s = {bound:.2f} s: {'met' if wall <= bound else 'not met'} ({wall / bound:.2f}x the bound)")
print(f"CPU of the whole machine per run: {cpu:.1f} s = {cpu / hosts:.2f} s a host; over {cpus} cores that is {cpu / cpus:.1f} s of wall time at the least")
PY
