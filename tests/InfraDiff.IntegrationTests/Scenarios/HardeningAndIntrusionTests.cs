using System.Text.Json;
using Xunit.Abstractions;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// A real Debian 12 root, hardened by a script of typical edits and then entered by an intruder, snapshotted
/// with --root before and after: every hardening edit is a keyed change, every intruder move is critical or
/// high and among the first lines of the text and markdown reports.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class HardeningAndIntrusionTests(DebianRoot debian, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_hardening_edit_is_a_keyed_change_and_every_intruder_move_leads_the_report()
    {
        var root = await debian.CopyAsync("hardening");
        var work = Directory.CreateTempSubdirectory("idt-scenario-").FullName;
        var before = Path.Join(work, "before.json");
        var after = Path.Join(work, "after.json");
        var snapshot = new[] { "snapshot", "--root", root, "--exclude", "docker", "--no-cache" };

        var first = await Infradiff.RunAsync(work, [.. snapshot, "-o", before]);
        Assert.True(first.ExitCode == 0, first.StandardError);

        Assert.Equal(0, await DebianRoot.TryRunAsync("/bin/sh", Path.Join(AppContext.BaseDirectory, "Scenarios", "harden.sh"), root));
        await IntrudeAsync(root, work);

        var second = await Infradiff.RunAsync(work, [.. snapshot, "-o", after]);
        Assert.True(second.ExitCode == 0, second.StandardError);

        var text = await Infradiff.RunAsync(work, "diff", before, after);
        var markdown = await Infradiff.RunAsync(work, "diff", before, after, "--format", "markdown");
        var json = await Infradiff.RunAsync(work, "diff", before, after, "--format", "json");
        var patch = await Infradiff.RunAsync(work, "diff", before, after, "--format", "json-patch");
        Assert.Equal(1, text.ExitCode);

        using var report = JsonDocument.Parse(json.StandardOutput);
        var changes = report.RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => (Path: c.GetProperty("path").GetString()!, Severity: c.GetProperty("severity").GetString()!, Summary: c.GetProperty("summary").GetString()!))
            .ToList();

        // Each hardening edit, as a setting or a keyed change.
        string[] hardening =
        [
            "/config/sshd/PermitRootLogin", "/config/sshd/PasswordAuthentication", "/config/sshd/MaxAuthTries", "/config/sshd/X11Forwarding", "/config/sshd/ClientAliveInterval",
            "/config/sysctl/kernel.kptr_restrict", "/config/sysctl/kernel.dmesg_restrict", "/config/sysctl/kernel.yama.ptrace_scope",
            "/config/sysctl/net.ipv4.conf.all.accept_redirects", "/config/sysctl/fs.suid_dumpable",
            "/config/loginDefs/PASS_MAX_DAYS", "/config/loginDefs/PASS_MIN_DAYS", "/config/loginDefs/UMASK",
            "/config/pam/common-auth/0", "/config/pam/common-password/",
            "/config/fstab/~1tmp", "/config/fstab/~1dev~1shm",
            "/config/limits/* hard core",
            "/config/modprobe/install/cramfs", "/config/modprobe/blacklist/usb-storage",
            "/files/~1etc~1crontab", "/files/~1usr~1lib~1openssh~1ssh-keysign/mode", "/files/~1usr~1bin~1su/mode",
            "/services/ctrl-alt-del.target/unitFile",
        ];
        foreach (var path in hardening)
        {
            Assert.True(changes.Any(c => c.Path.StartsWith(path, StringComparison.Ordinal)), $"no change at {path}");
        }

        Assert.Contains(changes, c => c.Summary == "sshd: PasswordAuthentication added (no)");
        Assert.Contains(changes, c => c.Summary == "login.defs: PASS_MAX_DAYS 99999 → 60");
        Assert.Contains(changes, c => c.Summary == "unit ctrl-alt-del.target: unitFile alias → masked");
        Assert.Contains(changes, c => c.Summary == "sysctl kernel.kptr_restrict added (2)");

        // Each intruder move: critical or high, and among the first twenty lines of both reports.
        (string Summary, string Severity)[] moves =
        [
            ("file /usr/local/bin/.cache-update added (file 4755 root:root, ", "critical"),
            ("file /usr/bin/ls no longer matches package coreutils ", "critical"),
            ("user root: authorizedKeys added (SHA256:", "critical"),
            ("crontab /etc/crontab: entries added: @reboot root /usr/local/bin/.cache-update", "high"),
            ("user toor added (uid 0)", "critical"),
            (@"file /usr/local/sbin/upd\xE9 added (file 4755 root:root, ", "critical"),
        ];
        var textHead = text.StandardOutput.Split('\n').Take(20).ToList();
        var markdownHead = Infradiff.Shown(markdown.StandardOutput).Split('\n').Take(20).ToList();
        foreach (var (summary, severity) in moves)
        {
            Assert.Contains(changes, c => c.Summary.StartsWith(summary, StringComparison.Ordinal) && c.Severity == severity);
            Assert.True(textHead.Any(l => l.Contains(summary, StringComparison.Ordinal)), $"'{summary}' is not in the first 20 lines of the text report:\n{string.Join('\n', textHead)}");
            Assert.True(markdownHead.Any(l => l.Contains(summary, StringComparison.Ordinal)), $"'{summary}' is not in the first 20 lines of the markdown report:\n{string.Join('\n', markdownHead)}");
        }

        // What --root cannot see is said, not silently left out: once per reason.
        var notCompared = text.StandardOutput.Split('\n').Where(l => l.Contains(": not compared (", StringComparison.Ordinal)).ToList();
        Assert.Contains(notCompared, l => l.StartsWith("os kernel, ", StringComparison.Ordinal) && l.Contains("sysctls", StringComparison.Ordinal));
        Assert.Equal(notCompared.Count, notCompared.Select(l => l[l.IndexOf(": not compared (", StringComparison.Ordinal)..]).Distinct().Count());

        output.WriteLine($"scenario: {changes.Count} changes ({string.Join(", ", changes.GroupBy(c => c.Severity).Select(g => $"{g.Count()} {g.Key}"))})");
        foreach (var (format, result) in new[] { ("text", text), ("markdown", markdown), ("json", json), ("json-patch", patch) })
        {
            output.WriteLine($"{format}: {result.StandardOutput.Split('\n').Length - 1} lines, {System.Text.Encoding.UTF8.GetByteCount(result.StandardOutput)} bytes");
        }

        output.WriteLine(string.Join('\n', textHead));
        Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// The six moves: a setuid shell under a dot name and another under a name that is not UTF-8 (Latin-1 "updé"), a
    /// same-size same-mtime system binary, root's key, an @reboot line, a second root.
    /// </summary>
    private static async Task IntrudeAsync(string root, string work)
    {
        var hidden = Path.Join(root, "usr/local/bin/.cache-update");
        File.Copy(Path.Join(root, "usr/bin/bash"), hidden);
        File.SetUnixFileMode(hidden, (UnixFileMode)Convert.ToInt32("4755", 8));

        await Intruder.CopyUnderRawNameAsync(Path.Join(root, "usr/bin/bash"), Path.Join(root, "usr/local/sbin"), [(byte)'u', (byte)'p', (byte)'d', 0xE9], "4755");

        Intruder.ReplaceKeepingSizeAndMtime(Path.Join(root, "usr/bin/ls"));

        Assert.Equal(0, await DebianRoot.TryRunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "intruder@elsewhere", "-f", Path.Join(work, "key")));
        Directory.CreateDirectory(Path.Join(root, "root/.ssh"));
        File.AppendAllText(Path.Join(root, "root/.ssh/authorized_keys"), File.ReadAllText(Path.Join(work, "key.pub")));

        File.AppendAllText(Path.Join(root, "etc/crontab"), "@reboot root /usr/local/bin/.cache-update -p\n");

        Assert.Equal(0, await DebianRoot.TryRunAsync("useradd", "--root", root, "-o", "-u", "0", "-g", "0", "-M", "-s", "/bin/bash", "-p", "$6$salt$3pPKEbYr6dd2f7rq9lJt6b1T1fYv2y0xvV0Wcq3lJvJ0rQyV6KQ1r9y7F0xq8lWv8s4j2t7u3VQ0rX2gqzVq1", "toor"));
    }
}
