using System.Text.Json;
using InfraDiff.Diffing;

namespace InfraDiff.Tests.Diffing;

/// <summary>
/// Each default severity rule, pinned with a change it matches and one it does not (which then falls to the
/// next rule down). Values are structured, as a snapshot holds them; "" stands for a value that is absent.
/// </summary>
public sealed class DefaultSeverityTests
{
    public static TheoryData<string, string, string, string, string, string> Cases => new()
    {
        // rule, path, op, old, new, expected
        { "package file stops verifying", "/files/~1usr~1bin~1ls", "replace", """{"type":"file","package":"coreutils","verified":true,"sha256":"a"}""", """{"type":"file","package":"coreutils","verified":false,"sha256":"b"}""", "critical" },
        { "package file already not verifying", "/files/~1usr~1bin~1ls", "replace", """{"type":"file","package":"coreutils","verified":false,"sha256":"a"}""", """{"type":"file","package":"coreutils","verified":false,"sha256":"b"}""", "high" },
        { "conffile stops verifying", "/files/~1etc~1ssh~1sshd_config", "replace", """{"type":"file","conffile":true,"verified":true,"sha256":"a"}""", """{"type":"file","conffile":true,"verified":false,"sha256":"b"}""", "medium" },
        { "uid 0 account added", "/users/accounts/toor", "add", "", """{"uid":0,"password":"set"}""", "critical" },
        { "uid 0 account added (other uid)", "/users/accounts/bob", "add", "", """{"uid":1001}""", "high" },
        { "uid changed to 0", "/users/accounts/alice/uid", "replace", "1000", "0", "critical" },
        { "uid changed to 0 (other uid)", "/users/accounts/alice/uid", "replace", "1000", "1001", "high" },
        { "setuid file added", "/files/~1usr~1local~1bin~1.cache-update", "add", "", """{"type":"file","mode":"4755"}""", "critical" },
        { "setuid file added (no bit)", "/files/~1usr~1local~1bin~1tool", "add", "", """{"type":"file","mode":"0755"}""", "high" },
        { "setgid file added", "/files/~1opt~1x", "add", "", """{"type":"file","mode":"2755"}""", "critical" },
        { "setgid file added (a directory)", "/files/~1opt~1x", "add", "", """{"type":"dir","mode":"2775"}""", "medium" },
        { "setuid bit on a changed file", "/files/~1opt~1x", "replace", """{"type":"file","mode":"0755","sha256":"a"}""", """{"type":"file","mode":"4755","sha256":"b"}""", "critical" },
        { "setuid bit kept on a changed file", "/files/~1opt~1x", "replace", """{"type":"file","mode":"4755","sha256":"a"}""", """{"type":"file","mode":"4755","sha256":"b"}""", "medium" },
        { "setuid bit added", "/files/~1opt~1x/mode", "replace", "\"0755\"", "\"4755\"", "critical" },
        { "setuid bit kept", "/files/~1opt~1x/mode", "replace", "\"4755\"", "\"4750\"", "medium" },
        { "setgid bit added", "/files/~1opt~1x/mode", "replace", "\"0755\"", "\"2755\"", "critical" },
        { "setgid bit kept", "/files/~1opt~1x/mode", "replace", "\"2755\"", "\"2750\"", "medium" },
        { "ld.so.preload", "/files/~1etc~1ld.so.preload", "add", "", """{"type":"file","mode":"0644"}""", "critical" },
        { "ld.so.preload (another file)", "/files/~1etc~1ld.so.conf", "replace", """{"sha256":"a"}""", """{"sha256":"b"}""", "medium" },
        { "root authorized key added", "/users/accounts/root/authorizedKeys/SHA256:abc", "add", "", """{"type":"ssh-ed25519"}""", "critical" },
        { "root authorized key removed", "/users/accounts/root/authorizedKeys/SHA256:abc", "remove", """{"type":"ssh-ed25519"}""", "", "high" },
        { "sudoers NOPASSWD added", "/users/sudoers/~1etc~1sudoers.d~1x/0", "add", "", "\"mallory ALL=(ALL) NOPASSWD: ALL\"", "critical" },
        { "sudoers ALL added", "/users/sudoers/~1etc~1sudoers.d~1x", "add", "", "[\"deploy ALL=(ALL:ALL) ALL\"]", "critical" },
        { "sudoers other rule added", "/users/sudoers/~1etc~1sudoers.d~1x/0", "add", "", "\"Defaults use_pty\"", "high" },
        { "member of sudo added", "/users/groups/sudo/members/1", "add", "", "\"mallory\"", "critical" },
        { "member of sudo removed", "/users/groups/sudo/members/1", "remove", "\"mallory\"", "", "high" },
        { "pam_permit added", "/config/pam/common-auth/0", "add", "", "\"auth sufficient pam_permit.so\"", "critical" },
        { "pam_exec added", "/config/pam/sshd/2", "replace", "\"session required pam_env.so\"", "\"session optional pam_exec.so /tmp/x\"", "critical" },
        { "other pam line added", "/config/pam/common-auth/0", "add", "", "\"auth required pam_faillock.so preauth\"", "high" },
        { "PermitRootLogin yes", "/config/sshd/PermitRootLogin", "replace", "\"no\"", "\"yes\"", "critical" },
        { "PermitRootLogin other", "/config/sshd/PermitRootLogin", "replace", "\"no\"", "\"prohibit-password\"", "high" },
        { "PasswordAuthentication yes in a Match block", "/config/sshd/Match User x/PasswordAuthentication", "add", "", "\"yes\"", "critical" },
        { "PasswordAuthentication no in a Match block", "/config/sshd/Match User x/PasswordAuthentication", "add", "", "\"no\"", "medium" },
        { "PasswordAuthentication no removed", "/config/sshd/PasswordAuthentication", "remove", "\"no\"", "", "critical" },
        { "PasswordAuthentication yes removed", "/config/sshd/PasswordAuthentication", "remove", "\"yes\"", "", "medium" },
        { "PermitEmptyPasswords yes", "/config/sshd/PermitEmptyPasswords", "replace", "\"no\"", "\"Yes\"", "critical" },
        { "PermitEmptyPasswords no", "/config/sshd/PermitEmptyPasswords", "replace", "\"yes\"", "\"no\"", "medium" },
        { "AuthorizedKeysCommand set", "/config/sshd/AuthorizedKeysCommand", "add", "", "\"/usr/local/bin/keys %u\"", "critical" },
        { "AuthorizedKeysCommand none", "/config/sshd/AuthorizedKeysCommand", "add", "", "\"none\"", "medium" },
        { "AuthorizedKeysFile", "/config/sshd/AuthorizedKeysFile", "add", "", "\".ssh/authorized_keys /tmp/%u\"", "high" },
        { "iptables policy to ACCEPT", "/network/firewall/iptables/filter/INPUT/policy", "replace", "\"DROP\"", "\"ACCEPT\"", "critical" },
        { "nftables policy to accept", "/network/firewall/nftables/inet filter/chains/input/policy", "replace", "\"drop\"", "\"accept\"", "critical" },
        { "policy to DROP", "/network/firewall/iptables/filter/INPUT/policy", "replace", "\"ACCEPT\"", "\"DROP\"", "high" },
        { "privileged container", "/docker/containers/web/privileged", "replace", "false", "true", "critical" },
        { "unprivileged container", "/docker/containers/web/privileged", "replace", "true", "false", "medium" },
        { "privileged container added", "/docker/containers/web", "add", "", """{"privileged":true}""", "critical" },
        { "container added", "/docker/containers/web", "add", "", """{"privileged":false}""", "medium" },
        { "capability added", "/docker/containers/web/capAdd/0", "add", "", "\"SYS_ADMIN\"", "high" },
        { "cron entry added", "/scheduled/cron/~1etc~1crontab/entries/3", "add", "", "\"@reboot root /tmp/x\"", "high" },
        { "cron entry removed", "/scheduled/cron/~1etc~1crontab/entries/3", "remove", "\"@reboot root /tmp/x\"", "", "high" },
        { "timer setting changed", "/scheduled/timers/x.timer/settings/OnCalendar/0", "replace", "\"daily\"", "\"hourly\"", "medium" },
        { "timer added", "/scheduled/timers/x.timer", "add", "", """{"path":"/etc/systemd/system/x.timer"}""", "high" },
        { "unit added", "/services/evil.service", "add", "", """{"unitFile":"enabled"}""", "high" },
        { "unit enabled", "/services/ssh.service/unitFile", "replace", "\"disabled\"", "\"enabled\"", "high" },
        { "unit disabled", "/services/ssh.service/unitFile", "replace", "\"enabled\"", "\"disabled\"", "medium" },
        { "listener on all addresses", "/network/listening/tcp~10.0.0.0:4444", "add", "", """{"processes":["nc"]}""", "high" },
        { "listener on loopback", "/network/listening/tcp~1127.0.0.1:4444", "add", "", """{"processes":["nc"]}""", "medium" },
        { "listener on IPv6 loopback", "/network/listening/tcp6~1[::1]:25", "add", "", """{"processes":["exim4"]}""", "medium" },
        { "ptrace scope loosened", "/os/sysctls/kernel.yama.ptrace_scope", "replace", "\"1\"", "\"0\"", "high" },
        { "ptrace scope tightened", "/os/sysctls/kernel.yama.ptrace_scope", "replace", "\"0\"", "\"1\"", "medium" },
        { "module loading unlocked", "/os/sysctls/kernel.modules_disabled", "replace", "\"1\"", "\"0\"", "high" },
        { "configured ptrace scope loosened", "/config/sysctl/kernel.yama.ptrace_scope/value", "replace", "\"2\"", "\"0\"", "high" },
        { "configured ptrace scope set to 0", "/config/sysctl/kernel.yama.ptrace_scope", "add", "", """{"value":"0","file":"/etc/sysctl.d/x.conf"}""", "high" },
        { "configured ptrace scope no longer set", "/config/sysctl/kernel.yama.ptrace_scope", "remove", """{"value":"2","file":"/etc/sysctl.d/x.conf"}""", "", "high" },
        { "configured module lock removed", "/config/sysctl/kernel.modules_disabled", "remove", """{"value":"1","file":"/etc/sysctl.d/x.conf"}""", "", "high" },
        { "configured ptrace scope tightened", "/config/sysctl/kernel.yama.ptrace_scope/value", "replace", "\"1\"", "\"2\"", "medium" },
        { "world-writable mode", "/files/~1etc~1x/mode", "replace", "\"0644\"", "\"0666\"", "high" },
        { "mode tightened", "/files/~1etc~1x/mode", "replace", "\"0644\"", "\"0640\"", "medium" },
        { "world-writable file added", "/files/~1etc~1x", "add", "", """{"type":"file","mode":"0666"}""", "high" },
        { "system binary replaced", "/files/~1usr~1bin~1ls", "replace", """{"type":"file","sha256":"a"}""", """{"type":"file","sha256":"b"}""", "high" },
        { "executable added to sbin", "/files/~1usr~1sbin~1x", "add", "", """{"type":"file","mode":"0755"}""", "high" },
        { "root's ssh file", "/files/~1root~1.ssh~1authorized_keys", "add", "", """{"type":"file","mode":"0600"}""", "high" },
        { "ssh host key", "/files/~1etc~1ssh~1ssh_host_ed25519_key.pub", "replace", """{"sha256":"a"}""", """{"sha256":"b"}""", "high" },
        { "documentation", "/files/~1usr~1share~1doc~1bash~1changelog.gz", "replace", """{"sha256":"a"}""", """{"sha256":"b"}""", "low" },
        { "man page", "/files/~1usr~1share~1man~1man1~1ls.1.gz", "add", "", """{"type":"file","mode":"0644"}""", "low" },
        { "shared data that is not documentation", "/files/~1usr~1share~1misc~1magic", "replace", """{"sha256":"a"}""", """{"sha256":"b"}""", "medium" },
        { "other configuration", "/config/loginDefs/PASS_MAX_DAYS", "replace", "\"99999\"", "\"60\"", "medium" },
        { "package", "/packages/openssl/version", "replace", "\"3.0.11\"", "\"3.0.13\"", "medium" },
        { "a section infradiff does not know", "/custom/answer", "replace", "41", "42", "low" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Default_rule(string rule, string path, string op, string oldJson, string newJson, string expected)
    {
        var compiled = new CompiledRules(new DriftRules(), DateOnly.MinValue);
        var kind = op switch { "add" => ChangeKind.Add, "remove" => ChangeKind.Remove, _ => ChangeKind.Replace };

        var severity = compiled.SeverityOf(new JsonChange(kind, path, Parse(oldJson), Parse(newJson)));

        Assert.True(expected == severity.ToString().ToLowerInvariant(), $"{rule}: expected {expected}, got {severity}");
    }

    [Theory]
    [InlineData("new.uid = 0", "expected 'OPERAND OPERATOR VALUE'")]
    [InlineData("uid == 0", "the operand must be")]
    [InlineData("new.mode & 9999", "is not an octal mode")]
    [InlineData("new =~ (", "condition 'new =~ ('")]
    public void A_bad_condition_is_one_error_naming_the_rule(string condition, string message)
    {
        var rules = new DriftRules { Severity = [new SeverityRule("/users", Severity.High) { When = [condition] }] };

        var error = Assert.Throws<InfraDiffException>(() => new CompiledRules(rules, DateOnly.MinValue));

        Assert.Contains("invalid severity rule /users", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_value_match_sees_the_whole_value_not_a_summary_cut_at_80_characters()
    {
        var longGecos = new string('x', 120);
        var rules = new DriftRules { Severity = [new SeverityRule("/users/accounts/*", Severity.Critical, "\"uid\":0")] };
        var account = Parse($$"""{"gecos":"{{longGecos}}","password":"set","shell":"/bin/bash","uid":0}""");

        var severity = new CompiledRules(rules, DateOnly.MinValue).SeverityOf(new JsonChange(ChangeKind.Add, "/users/accounts/toor", default, account));

        Assert.Equal(Severity.Critical, severity);
    }

    private static JsonElement Parse(string json) => json.Length == 0 ? default : JsonDocument.Parse(json).RootElement.Clone();
}
