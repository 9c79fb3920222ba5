using System.Diagnostics;
using System.Text.Json;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// <c>infradiff accept</c> against a baseline file through the real executable, as a CI job and its operator use it:
/// a planned change and an intruder's setuid copy in one run; the planned one accepted by id; the next checks still
/// fail on the setuid copy and never on the planned change; a second edit fails again. Signed with real ssh-keygen keys.
/// </summary>
public sealed class AcceptCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("infradiff-accept-").FullName;

    public AcceptCommandTests()
    {
        Directory.CreateDirectory(Path.Join(Root, "etc", "ssh"));
        Directory.CreateDirectory(Path.Join(Root, "usr", "bin"));
        File.WriteAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "PermitRootLogin no\n");
        File.WriteAllText(Path.Join(Root, "usr", "bin", "ls"), "binary");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Root => Path.Join(work, "root");

    private string Baseline => Path.Join(work, "baseline.json");

    private static readonly string[] Selection = ["--only", "files", "--files", "/etc", "--files", "/usr/bin", "--no-cache"];

    private Task<CliRunner.Result> Run(params string[] arguments) => CliRunner.RunAsync([.. arguments, "--root", Root, .. Selection]);

    /// <summary>The changes of a check's JSON report: id, path and severity.</summary>
    private async Task<(int ExitCode, List<(string Id, string Path, string Severity)> Changes)> CheckAsync(params string[] extra)
    {
        var result = await Run(["check", "--baseline", Baseline, "--format", "json", .. extra]);
        Assert.True(result.ExitCode is 0 or 1, result.StandardError);
        using var report = JsonDocument.Parse(result.StandardOutput);
        return (result.ExitCode, [.. report.RootElement.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("path").GetString()!, c.GetProperty("severity").GetString()!))]);
    }

    private async Task<(string Sshd, string Setuid)> PlannedChangeAndIntrusionAsync()
    {
        var created = await Run("check", "--baseline", Baseline, "--update-baseline");
        Assert.True(created.ExitCode == 0, created.StandardError);
        File.WriteAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "PermitRootLogin no\nPasswordAuthentication no\n");
        File.Copy(Path.Join(Root, "usr", "bin", "ls"), Path.Join(Root, "usr", "bin", ".sx"));
        File.SetUnixFileMode(Path.Join(Root, "usr", "bin", ".sx"), (UnixFileMode)Convert.ToInt32("4755", 8));
        var (exitCode, changes) = await CheckAsync();
        Assert.Equal(1, exitCode);
        return (changes.Single(c => c.Path == "/files/~1etc~1ssh~1sshd_config").Id, changes.Single(c => c.Path == "/files/~1usr~1bin~1.sx").Id);
    }

    [Fact]
    public async Task An_accepted_change_stops_failing_the_check_the_intrusion_does_not_and_a_second_edit_fails_again()
    {
        var (sshd, setuid) = await PlannedChangeAndIntrusionAsync();

        var accepted = await Run("accept", sshd, "--baseline", Baseline, "--reason", "planned hardening, CHG-1234", "--by", "alice");

        Assert.True(accepted.ExitCode == 0, accepted.StandardError);
        Assert.Equal($"accepted {sshd} [medium] file /etc/ssh/sshd_config: content changed, 19 → 45 bytes into the baseline of {Baseline}, by alice\n", accepted.StandardOutput);
        for (var run = 0; run < 2; run++)
        {
            var (exitCode, changes) = await CheckAsync();
            Assert.Equal(1, exitCode);
            Assert.Equal([(setuid, "/files/~1usr~1bin~1.sx", "critical")], changes);
        }

        File.AppendAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "X11Forwarding yes\n");
        var (_, edited) = await CheckAsync();
        var again = edited.Single(c => c.Path == "/files/~1etc~1ssh~1sshd_config");
        Assert.NotEqual(sshd, again.Id);

        using var baseline = JsonDocument.Parse(File.ReadAllText(Baseline));
        var record = Assert.Single(baseline.RootElement.GetProperty("metadata").GetProperty("acceptances").EnumerateArray());
        Assert.Equal((sshd, "alice", "planned hardening, CHG-1234"), (record.GetProperty("id").GetString(), record.GetProperty("by").GetString(), record.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData(false, "0123456789", "0123456789: no change with this id in the drift from ")]
    [InlineData(false, "zz", "zz: not a change id (ten hex digits")]
    [InlineData(true, "", "--reason is required")]
    public async Task A_bad_acceptance_is_one_line_and_exit_2_and_leaves_the_baseline_as_it_was(bool withoutReason, string id, string expected)
    {
        var (sshd, _) = await PlannedChangeAndIntrusionAsync();
        var before = File.ReadAllBytes(Baseline);

        var result = withoutReason
            ? await Run("accept", sshd, "--baseline", Baseline)
            : await Run("accept", id, "--baseline", Baseline, "--reason", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: {expected}", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(Baseline));
    }

    [Fact]
    public async Task Accepting_all_on_day_one_prints_what_it_accepted_by_severity_and_the_check_passes()
    {
        await PlannedChangeAndIntrusionAsync();

        var result = await Run("accept", "--all", "--baseline", Baseline, "--reason", "day one");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.StartsWith("accepted all 2 changes: 1 critical, 0 high, 1 medium, 0 low into the baseline of ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, (await CheckAsync()).ExitCode);
    }

    private string Keygen(string name) => SshKeys.Keygen(work, name);

    private string AllowedSigners(string key, string principal) => SshKeys.AllowedSigners(work, key, principal);

    [Fact]
    public async Task With_allowed_signers_the_signer_is_recorded_as_who_and_unsigned_or_wrong_key_or_edited_acceptances_are_refused()
    {
        var (sshd, _) = await PlannedChangeAndIntrusionAsync();
        var ci = Keygen("ci");
        var signers = AllowedSigners(ci, "ci@example.test");
        using (var sign = Process.Start("ssh-keygen", ["-q", "-Y", "sign", "-f", ci, "-n", "infradiff", Baseline]))
        {
            sign.WaitForExit();
            Assert.Equal(0, sign.ExitCode);
        }

        var unsigned = await Run("accept", sshd, "--baseline", Baseline, "--reason", "r", "--allowed-signers", signers);
        var notResigned = await Run("accept", sshd, "--baseline", Baseline, "--reason", "r");
        var wrongKey = await Run("accept", sshd, "--baseline", Baseline, "--reason", "r", "--allowed-signers", signers, "--sign-key", Keygen("intruder"));
        var signed = await Run("accept", sshd, "--baseline", Baseline, "--reason", "planned", "--allowed-signers", signers, "--sign-key", ci, "--by", "someone-else");

        Assert.Equal((2, 2, 2), (unsigned.ExitCode, notResigned.ExitCode, wrongKey.ExitCode));
        Assert.Contains("--allowed-signers requires the acceptance to be signed", unsigned.StandardError, StringComparison.Ordinal);
        Assert.Contains("is signed (baseline.json.sig): give --sign-key", notResigned.StandardError, StringComparison.Ordinal);
        Assert.Contains("not a key", wrongKey.StandardError, StringComparison.Ordinal);
        Assert.True(signed.ExitCode == 0, signed.StandardError);
        Assert.EndsWith("by ci@example.test\n", signed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, (await CheckAsync("--allowed-signers", signers)).ExitCode);

        // The accepted baseline edited afterwards (the acceptance widened by hand) no longer verifies.
        File.WriteAllText(Baseline, File.ReadAllText(Baseline).Replace("\"planned\"", "\"planned, and the setuid copy too\"", StringComparison.Ordinal));
        var edited = await Run("check", "--baseline", Baseline, "--allowed-signers", signers);
        Assert.Equal(2, edited.ExitCode);
        Assert.Contains("the signature does not match", edited.StandardError, StringComparison.Ordinal);
    }
}
