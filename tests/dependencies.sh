#!/usr/bin/env bash
# What the tests drive for real, from the system: installed from Debian's or Ubuntu's archive when run as root,
# otherwise listed with the command that installs them, and the build stops. Run by every test project's build
# (Directory.Build.targets), so `dotnet test InfraDiff.sln` works on a fresh machine; a lock keeps the three test
# projects, built in parallel, from running apt-get at once.
set -euo pipefail

# tool-or-path:package, one a line, each with what needs it (a path: a file the package installs).
requirements=(
  "useradd:passwd"                 # collector tests add accounts
  "dpkg-deb:dpkg"                  # package tests build .debs
  "ssh-keygen:openssh-client"      # authorized keys, signed snapshots
  "systemctl:systemd"              # systemctl --root for the services section
  "ip:iproute2"                    # network namespaces
  "iptables-save:iptables"
  "nft:nftables"
  "ping:iputils-ping"
  "/usr/sbin/dockerd:docker.io"    # a throwaway engine
  "/bin/busybox:busybox-static"    # the test image
  "/usr/sbin/debootstrap:debootstrap"  # the Debian root of the scenario tests
  "systemd-nspawn:systemd-container"   # boots that root with systemd as its PID 1
  "debsums:debsums"                # independent package verification
  "rpmbuild:rpm"                   # rpm packages and rpm -V
  "/usr/bin/python3:python3"       # the SMTP server
  "node:nodejs"                    # fast-json-patch and adaptivecards, the independent checks
  "npm:npm"
  "xmllint:libxml2-utils"          # validates the JUnit report against its schema
  "promtool:prometheus"            # checks the metrics file; scrapes watch --listen
  "/usr/sbin/rsyslogd:rsyslog"     # receives --syslog over TCP and TLS
  "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so:rsyslog-gnutls"  # rsyslog's TLS driver (the path of amd64)
  "openssl:openssl"                # the syslog test's certificate authority
  "chromium:chromium"              # opens the HTML report
  "/usr/sbin/sshd:openssh-server"  # the fleet's simulated hosts
  "sudo:sudo"                      # ansible_become on those hosts
  "ansible-playbook:ansible"       # the inventory oracle and the Ansible sample
)

missing=()
for requirement in "${requirements[@]}"; do
  tool=${requirement%%:*}
  package=${requirement#*:}
  if [[ $tool == /* ]]; then [[ -e $tool ]] || missing+=("$package"); else command -v "$tool" >/dev/null || missing+=("$package"); fi
done
if [[ -x /usr/bin/python3 ]] && ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then missing+=(python3-aiosmtpd); fi
[[ -x /usr/bin/python3 ]] || missing+=(python3-aiosmtpd)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  exec 9>/tmp/infradiff-test-dependencies.lock
  flock 9
  echo "infradiff tests: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "infradiff tests: missing ${missing[*]}; install them as root (Debian/Ubuntu: sudo apt-get install ${missing[*]}), or run 'dotnet test' as root, which installs them" >&2
exit 1
