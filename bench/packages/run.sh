#!/usr/bin/env bash
# The package-upgrade scenario side by side with AIDE: in a Debian 12 root, a package with 122 files is installed,
# then upgraded while /usr/bin/ls is replaced (same size, same mtime) and a conffile is edited. Prints what
# infradiff's diff and AIDE's --check report (changes, lines, bytes) for the same change.
# Usage: bench/packages/run.sh [ROOT] — a Debian root to copy (default: one made with debootstrap, about a minute).
# Needs root; installs debootstrap, aide and dpkg-dev tools when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d /tmp/infradiff-bench-packages.XXXXXX)
trap 'rm -rf "$out"' EXIT
command -v aide >/dev/null || apt-get install -y -qq aide >/dev/null
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
source bench/common.sh
root=$out/root
if [ -n "${1:-}" ]; then
  cp -a "$1" "$root"
else
  mirror=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
  debootstrap --variant=minbase --include=openssh-server,cron,sudo,systemd,procps bookworm "$root" "$mirror" >/dev/null
fi

package=infradiff-demo
build() { # version
  local tree=$out/pkg-$1
  mkdir -p "$tree/usr/share/$package" "$tree/usr/bin" "$tree/etc" "$tree/DEBIAN"
  for i in $(seq -w 0 119); do printf '%s %s part %s\n' "$package" "$1" "$i" >"$tree/usr/share/$package/part$i.txt"; done
  printf '#!/bin/sh\necho %s\n' "$1" >"$tree/usr/bin/$package"; chmod 755 "$tree/usr/bin/$package"
  echo 'listen = 127.0.0.1' >"$tree/etc/$package.conf"
  printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: bench <bench@localhost>\nDescription: bench package\n' "$package" "$1" >"$tree/DEBIAN/control"
  echo "/etc/$package.conf" >"$tree/DEBIAN/conffiles"
  (cd "$tree" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$tree/DEBIAN/md5sums"
  dpkg-deb --root-owner-group --build "$tree" "$root/tmp/$package-$1.deb" >/dev/null
}
build 1.0-1
build 1.1-1
chroot "$root" dpkg -i "/tmp/$package-1.0-1.deb" >/dev/null

cat >"$out/aide.conf" <<CONF
database_in=file:$out/aide.db
database_out=file:$out/aide.db.new
gzip_dbout=no
report_url=stdout
Bench = p+u+g+s+n+sha256
$root/etc Bench
$root/usr Bench
$root/boot Bench
$root/root Bench
CONF
"$infradiff" snapshot --root "$root" --only packages,files --no-cache -o "$out/before.json"
aide --config "$out/aide.conf" --init >/dev/null 2>&1 || true
mv "$out/aide.db.new" "$out/aide.db"

chroot "$root" dpkg -i "/tmp/$package-1.1-1.deb" >/dev/null
python3 - "$root/usr/bin/ls" <<'PY'
import os, sys
p = sys.argv[1]; st = os.stat(p); b = bytearray(open(p, 'rb').read())
for i in range(8192, 8256): b[i] ^= 0x33
open(p, 'wb').write(b); os.utime(p, (st.st_atime, st.st_mtime))
PY
echo 'debug = true' >>"$root/etc/$package.conf"
"$infradiff" snapshot --root "$root" --only packages,files --no-cache -o "$out/after.json"

for format in text markdown json; do "$infradiff" diff "$out/before.json" "$out/after.json" --format "$format" >"$out/diff.$format" || true; done
aide --config "$out/aide.conf" --check >"$out/aide.txt" 2>&1 || true
changes=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["changes"]))' "$out/diff.json")
printf '| report | changes | lines | bytes | where /usr/bin/ls is |\n| --- | --- | --- | --- | --- |\n'
for format in text markdown json; do
  printf '| infradiff %s | %s | %s | %s | line %s |\n' "$format" "$changes" "$(wc -l <"$out/diff.$format")" "$(wc -c <"$out/diff.$format")" "$(grep -n -m1 'usr/bin/ls' "$out/diff.$format" | cut -d: -f1)"
done
printf '| aide --check | %s | %s | %s | line %s |\n' "$(grep -m1 -oE 'Changed entries:[[:space:]]+[0-9]+' "$out/aide.txt" | grep -oE '[0-9]+$' || echo ?)" "$(wc -l <"$out/aide.txt")" "$(wc -c <"$out/aide.txt")" "$(grep -n -m1 'usr/bin/ls' "$out/aide.txt" | cut -d: -f1)"
