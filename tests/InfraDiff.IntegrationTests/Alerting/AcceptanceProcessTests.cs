using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using InfraDiff.IntegrationTests.Scenarios;

namespace InfraDiff.IntegrationTests.Alerting;

/// <summary>
/// Accepting one change while the watcher runs, as an operator does: a real <c>watch --against baseline</c> process
/// alerting a real webhook receiver, and <c>infradiff accept</c> run beside it on the same store.
/// </summary>
public sealed class AcceptanceProcessTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-accept-").FullName;
    private readonly WebhookReceiver receiver = new();
    private Process? watcher;

    public Task InitializeAsync() => receiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (watcher is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", watcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await watcher.WaitForExitAsync();
        }

        await receiver.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    private static readonly string Executable = typeof(AcceptanceProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InfradiffExecutable").Value!;

    private string Root => Path.Join(work, "root");

    private string Store => Path.Join(work, "store");

    private string Key => Path.Join(work, "store.key");

    private string Cache => Path.Join(work, "cache");

    /// <summary>Each alert's changes as the generic body carries them: id, path, severity.</summary>
    private List<List<(string Id, string Path, string Severity)>> Alerts() =>
        [.. receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(a => !a.GetProperty("heartbeat").GetBoolean())
            .Select(a => a.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("path").GetString()!, c.GetProperty("severity").GetString()!)).ToList())];

    [Fact]
    public async Task An_operator_accepts_the_planned_change_by_id_while_the_watcher_runs_and_only_the_intrusion_keeps_alerting()
    {
        Directory.CreateDirectory(Path.Join(Root, "etc", "ssh"));
        Directory.CreateDirectory(Path.Join(Root, "usr", "bin"));
        File.WriteAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "PermitRootLogin no\n");
        File.WriteAllText(Path.Join(Root, "usr", "bin", "ls"), "binary");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Executable, "watch", "--against", "baseline", "--repeat-after", "1s", "--interval", "1s", "--dir", Store, "--key-file", Key,
            "--root", Root, "--only", "files", "--files", "/etc", "--files", "/usr/bin", "--no-cache", "--heartbeat", "off", "--webhook", receiver.Url.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["XDG_CACHE_HOME"] = Cache;
        watcher = Process.Start(start)!;
        watcher.OutputDataReceived += (_, _) => { };
        watcher.ErrorDataReceived += (_, _) => { };
        watcher.BeginOutputReadLine();
        watcher.BeginErrorReadLine();
        await Tool.WaitForAsync(() => File.Exists(Path.Join(Store, "baseline.json")), "the baseline");

        // The planned sshd change and the intruder's setuid copy, in one cycle.
        File.WriteAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "PermitRootLogin no\nPasswordAuthentication no\n");
        File.Copy(Path.Join(Root, "usr", "bin", "ls"), Path.Join(Root, "usr", "bin", ".sx.tmp"));
        File.SetUnixFileMode(Path.Join(Root, "usr", "bin", ".sx.tmp"), (UnixFileMode)Convert.ToInt32("4755", 8));
        File.Move(Path.Join(Root, "usr", "bin", ".sx.tmp"), Path.Join(Root, "usr", "bin", ".sx"));
        await Tool.WaitForAsync(() => Alerts().Any(a => a.Count == 2), "an alert with both changes", 60);
        var both = Alerts().First(a => a.Count == 2);
        var sshd = both.Single(c => c.Path == "/files/~1etc~1ssh~1sshd_config");
        var setuid = both.Single(c => c.Path == "/files/~1usr~1bin~1.sx");

        var accepted = await Infradiff.RunAsync(Cache, "accept", sshd.Id, "--reason", "planned hardening, CHG-1234", "--by", "alice", "--dir", Store, "--key-file", Key);

        Assert.True(accepted.ExitCode == 0, accepted.StandardError);
        var seen = receiver.Requests.Count;
        await Tool.WaitForAsync(() => receiver.Requests.Count >= seen + 3, "three more alerts", 60);
        var after = Alerts().Skip(seen + 1).ToList();
        Assert.All(after, alert => Assert.Equal([(setuid.Id, setuid.Path, "critical")], alert));

        File.AppendAllText(Path.Join(Root, "etc", "ssh", "sshd_config"), "X11Forwarding yes\n");
        await Tool.WaitForAsync(() => Alerts().Any(a => a.Any(c => c.Path == sshd.Path && c.Id != sshd.Id)), "the second sshd edit alerted", 60);

        Process.Start("kill", ["-TERM", watcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await watcher.WaitForExitAsync();
        Assert.Equal(0, watcher.ExitCode);
        var verify = await Infradiff.RunAsync(Cache, "verify", "--dir", Store, "--key-file", Key);
        Assert.True(verify.ExitCode == 0, verify.StandardOutput + verify.StandardError);
        var acceptances = await File.ReadAllTextAsync(Path.Join(Store, "acceptances.json"));
        Assert.Contains("\"by\":\"alice\"", acceptances, StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{sshd.Id}\"", acceptances, StringComparison.Ordinal);
    }
}
