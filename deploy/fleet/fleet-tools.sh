#!/usr/bin/env bash
# Builds the self-contained, single-file infradiff that `infradiff fleet` copies to hosts: one file per runtime,
# named infradiff-RID, in the controller's tool directory (default ~/.cache/infradiff/fleet-tools, which is where
# the fleet commands look unless given --tools). Hosts need no .NET: each build carries its runtime. ReadyToRun and
# uncompressed (about 120 MB): copied once per host and version, it then starts in 0.04 s where a compressed build
# (45 MB) spends about 0.35 s unpacking itself on every run.
#
#   deploy/fleet/fleet-tools.sh                       # linux-x64 and linux-arm64 into ~/.cache/infradiff/fleet-tools
#   deploy/fleet/fleet-tools.sh -o DIR linux-x64      # one runtime, elsewhere
set -euo pipefail
cd "$(dirname "$0")/../.."

out="${XDG_CACHE_HOME:-$HOME/.cache}/infradiff/fleet-tools"
if [[ ${1:-} == -o ]]; then out=$2; shift 2; fi
runtimes=("$@")
[[ ${#runtimes[@]} -gt 0 ]] || runtimes=(linux-x64 linux-arm64)

umask 077
mkdir -p "$out"
for rid in "${runtimes[@]}"; do
  work=$(mktemp -d)
  # The build's own folders, so a developer's bin/ and obj/ (built without a runtime) are left as they are.
  dotnet publish src/InfraDiff.Cli -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
    --artifacts-path "$work" -o "$work/out" --nologo -v quiet
  install -m 0700 "$work/out/infradiff" "$out/infradiff-$rid"
  rm -rf "$work"
  echo "$out/infradiff-$rid $(sha256sum <"$out/infradiff-$rid" | cut -c1-64)"
done
