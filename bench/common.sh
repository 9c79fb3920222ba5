# Sourced by every bench: the tool as an operator gets it (packed, then installed with `dotnet tool install` into a
# tool path under bench/out: the ReadyToRun package for this platform), GNU time, and no build server left running.
# Sets $infradiff. The package is made once for each state of the sources (HEAD plus uncommitted changes).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
state=$( (git rev-parse HEAD; git diff HEAD -- src Directory.Build.props Directory.Build.targets Directory.Packages.props) | sha256sum | cut -c1-12)
tools=$PWD/bench/out/tool/$state
if [ ! -x "$tools/infradiff" ]; then
  rm -rf bench/out/tool
  # A version of its own, so the install takes this package and not one cached under the release's number.
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)-bench.$state
  dotnet pack src/InfraDiff.Cli -c Release -o "$tools-feed" "-p:Version=$version" --nologo -v quiet >/dev/null
  dotnet tool install infradiff --tool-path "$tools" --add-source "$tools-feed" --version "$version" >/dev/null
  rm -rf "$tools-feed" "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/infradiff*/"$version"
fi
dotnet build-server shutdown >/dev/null 2>&1 || true
infradiff=$tools/infradiff
cd - >/dev/null
