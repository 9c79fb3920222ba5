#!/bin/sh
# Typical hardening edits, written for the scenario test after the dev-sec os_hardening and ssh_hardening roles
# and the CIS Debian benchmark. Run with the root to change as $1; each numbered edit must show in the diff.
set -eu
R="$1"

# sshd (1-5): a drop-in, read before the main file's own lines, so its values win.
cat > "$R/etc/ssh/sshd_config.d/50-hardening.conf" <<'CONF'
PermitRootLogin no
PasswordAuthentication no
MaxAuthTries 3
X11Forwarding no
ClientAliveInterval 300
CONF

# sysctl (6-10)
cat > "$R/etc/sysctl.d/99-hardening.conf" <<'CONF'
kernel.kptr_restrict = 2
kernel.dmesg_restrict = 1
kernel.yama.ptrace_scope = 2
net.ipv4.conf.all.accept_redirects = 0
fs.suid_dumpable = 0
CONF

# login.defs (11-13)
sed -i -e 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\t60/' -e 's/^PASS_MIN_DAYS.*/PASS_MIN_DAYS\t7/' -e 's/^UMASK.*/UMASK\t\t027/' "$R/etc/login.defs"

# PAM (14-15): lock out after failures; remember old passwords.
sed -i '0,/^auth/s//auth\trequired\t\t\tpam_faillock.so preauth silent deny=5 unlock_time=900\nauth/' "$R/etc/pam.d/common-auth"
sed -i 's/\(pam_unix.so obscure.*\)$/\1 remember=5/' "$R/etc/pam.d/common-password"

# fstab (16-17)
cat >> "$R/etc/fstab" <<'CONF'
tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,mode=1777 0 0
tmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec 0 0
CONF

# limits (18)
printf '* hard core 0\n' > "$R/etc/security/limits.d/10-hardening.conf"

# modprobe (19-20)
printf 'install cramfs /bin/true\nblacklist usb-storage\n' > "$R/etc/modprobe.d/dev-sec.conf"

# permissions (21-23): crontab readable by root only; no setuid ssh-keysign; su not for others.
chmod 600 "$R/etc/crontab"
chmod u-s "$R/usr/lib/openssh/ssh-keysign"
chmod 4750 "$R/usr/bin/su"

# a unit masked (24)
ln -sf /dev/null "$R/etc/systemd/system/ctrl-alt-del.target"
