#!/usr/bin/env bash
# One core's MD5: the files collector's multi-buffer hasher (each lane width this machine has) beside OpenSSL's
# single stream (`openssl speed -evp md5`, 16 KiB blocks) and .NET's MD5, in one run; SHA-256 for scale.
# Usage: bench/md5/run.sh
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release --nologo -v quiet -o ../out/md5 >/dev/null
taskset -c 0 dotnet ../out/md5/Md5Bench.dll
for digest in md5 sha256; do
  taskset -c 0 openssl speed -evp "$digest" -seconds 2 -bytes 16384 2>/dev/null | awk -v d="$digest" '$1 == d {printf "openssl speed -evp %s, 16 KiB blocks: %.0f MB/s\n", d, $2 / 1000}'
done
