using System.Diagnostics;
using System.Text.Json;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// The fault suite, through the real executable: tools that fail, hang, print garbage or flood; inputs that are
/// FIFOs, devices or corrupt; rules and durations that cannot work. Each is one clear outcome, never a hang, a
/// stack trace or a part read as "everything removed".
/// </summary>
public sealed class FaultTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-faults-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string FakeTools(string script)
    {
        var bin = Directory.CreateDirectory(Path.Join(directory, "bin")).FullName;
        foreach (var tool in new[] { "ip", "ss", "iptables-save", "ip6tables-save", "nft", "systemctl" })
        {
            File.WriteAllText(Path.Join(bin, tool), "#!/bin/sh\n" + script + "\n");
            File.SetUnixFileMode(Path.Join(bin, tool), (UnixFileMode)Convert.ToInt32("755", 8));
        }

        return bin;
    }

    private Task<CliRunner.Result> SnapshotWithToolsAsync(string script, params string[] extra) =>
        CliRunner.RunInAsync(directory, new Dictionary<string, string?> { ["PATH"] = FakeTools(script) + ":" + Environment.GetEnvironmentVariable("PATH") }, ["snapshot", "--only", "network,services", .. extra]);

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("fifo", "/etc/hostname is a FIFO, not a regular file: not read")]
    [InlineData("folder", "/etc/hostname is a directory, not a regular file: not read")]
    [InlineData("loop", "/etc/hostname: too many levels of symbolic links")]
    [InlineData("device", "/etc/hostname is a character device, not a regular file: not read")]
    [InlineData("70 MB", "/etc/hostname is larger than 4,096 bytes: not read")]
    public async Task A_root_whose_hostname_is_no_readable_file_gives_a_snapshot_with_that_part_failed(string kind, string reason)
    {
        var root = Directory.CreateDirectory(Path.Join(directory, "root", "etc")).Parent!.FullName;
        var hostname = Path.Join(root, "etc", "hostname");
        var (tool, arguments) = kind switch
        {
            "fifo" => ("mkfifo", new[] { hostname }),
            "folder" => ("mkdir", [hostname]),
            "loop" => ("ln", ["-s", "hostname", hostname]),
            "device" => ("mknod", [hostname, "c", "1", "5"]),
            _ => ("truncate", ["-s", "70M", hostname]),
        };
        Assert.Equal(0, (await CliRunner.RunToolAsync(tool, arguments)).ExitCode);
        var output = Path.Join(directory, "snapshot.json");

        var result = await CliRunner.RunAsync("snapshot", "--root", root, "--exclude", "docker", "--no-cache", "-o", output);

        Assert.True(result.ExitCode == 3, result.StandardError);
        using var snapshot = JsonDocument.Parse(File.ReadAllBytes(output));
        var metadata = snapshot.RootElement.GetProperty("metadata");
        Assert.Equal("unknown", metadata.GetProperty("host").GetString());
        Assert.Equal(reason, metadata.GetProperty("collectors").GetProperty("os").GetProperty("failed").GetProperty("hostname").GetString());
        Assert.Contains($"part hostname failed: {reason}", result.StandardError, StringComparison.Ordinal);
    }

    private static string Snapshot(string metadata, string sections = "\"users\":{}") => $$"""{"schemaVersion":1,"metadata":{{metadata}},{{sections}}}""";

    private const string GoodMetadata = """{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}}""";

    [Fact]
    public async Task Tools_that_exit_1_fail_their_parts_and_exit_3_never_an_empty_part()
    {
        var result = await SnapshotWithToolsAsync("echo 'fatal: cannot talk to the kernel' >&2; exit 1");

        Assert.Equal(3, result.ExitCode);
        using var snapshot = JsonDocument.Parse(result.StandardOutput);
        var network = snapshot.RootElement.GetProperty("metadata").GetProperty("collectors").GetProperty("network");
        Assert.Contains("exited with code 1: fatal: cannot talk to the kernel", network.GetProperty("failed").GetProperty("interfaces").GetString(), StringComparison.Ordinal);
        Assert.True(network.GetProperty("failed").TryGetProperty("firewall.iptables", out _));
        Assert.False(snapshot.RootElement.GetProperty("network").TryGetProperty("interfaces", out _));
        // The unit files are read from disk; only the runtime part asks systemctl. Where systemd runs (sd_booted), its
        // failure is a fault; where it does not (this machine, CI), there is no runtime state, and the reason says so.
        var services = snapshot.RootElement.GetProperty("metadata").GetProperty("collectors").GetProperty("services");
        if (Directory.Exists("/run/systemd/system"))
        {
            Assert.Equal("systemctl list-units exited with code 1: fatal: cannot talk to the kernel", services.GetProperty("failed").GetProperty("runtime").GetString());
        }
        else
        {
            Assert.Equal("systemd is not running on this host (no /run/systemd/system)", services.GetProperty("unavailable").GetProperty("runtime").GetString());
        }
        Assert.Contains("part interfaces failed", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_that_print_garbage_fail_their_parts_instead_of_becoming_content()
    {
        var result = await SnapshotWithToolsAsync("echo 'Segmentation fault'; echo 'bogus.service enabled enabled extra'");

        Assert.Equal(3, result.ExitCode);
        using var snapshot = JsonDocument.Parse(result.StandardOutput);
        var collectors = snapshot.RootElement.GetProperty("metadata").GetProperty("collectors");
        Assert.StartsWith("ip printed what infradiff cannot read", collectors.GetProperty("network").GetProperty("failed").GetProperty("interfaces").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ss printed what infradiff cannot read", collectors.GetProperty("network").GetProperty("failed").GetProperty("listening").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("systemctl printed what infradiff cannot read: not systemctl list-units output", collectors.GetProperty("services").GetProperty("failed").GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(snapshot.RootElement.GetProperty("services").EnumerateObject(), unit => unit.Name == "bogus.service");
    }

    [Fact]
    public async Task A_tool_that_floods_its_output_is_stopped_at_the_cap_and_fails_its_part()
    {
        var result = await SnapshotWithToolsAsync("exec head -c 209715200 /dev/zero | tr '\\0' 'x'");

        Assert.Equal(3, result.ExitCode);
        using var snapshot = JsonDocument.Parse(result.StandardOutput);
        var failed = snapshot.RootElement.GetProperty("metadata").GetProperty("collectors").GetProperty("network").GetProperty("failed");
        Assert.Contains("printed more than 64 MiB; stopped", failed.GetProperty("interfaces").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_that_hangs_times_its_collector_out_instead_of_holding_the_snapshot()
    {
        var clock = Stopwatch.StartNew();
        var result = await SnapshotWithToolsAsync("exec sleep 600", "--collector-timeout", "2s");
        clock.Stop();

        Assert.Equal(3, result.ExitCode);
        // The tool sleeps 600 s; the snapshot ends at the limit. The bound is loose: a loaded CI machine starts processes slowly, and speed is measured in bench/, not here.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed.TotalSeconds:0.0} s against a 2 s limit on a tool that sleeps 600 s");
        Assert.Contains("collector network timed out: did not finish within 2 s (raise the limit with --collector-timeout)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_sparse_file_does_not_outlive_the_files_timeout()
    {
        var tree = Directory.CreateDirectory(Path.Join(directory, "tree")).FullName;
        using (var sparse = File.Create(Path.Join(tree, "sparse")))
        {
            sparse.SetLength(30L << 30);
        }

        var clock = Stopwatch.StartNew();
        var result = await CliRunner.RunAsync("snapshot", "--only", "files", "--files", tree, "--no-cache", "--files-timeout", "2s");
        clock.Stop();

        Assert.Equal(3, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2 + 1 + 1.5), $"took {clock.Elapsed.TotalSeconds:0.0} s against a 2 s limit");
    }

    [Fact]
    public async Task Fifos_as_inputs_fail_at_once_naming_the_file()
    {
        var fifo = Path.Join(directory, "fifo");
        Fixture("mkfifo", fifo);
        var good = Write("good.json", Snapshot(GoodMetadata));
        File.Copy(good, Path.Join(directory, "infradiff.json.bak"));

        var diff = await CliRunner.RunAsync("diff", fifo, good);
        var config = await CliRunner.RunAsync("diff", good, good, "--config", fifo);
        var alert = await CliRunner.RunAsync("alert", fifo, "--webhook", "http://127.0.0.1:9/hook");
        File.Delete(Path.Join(directory, "fifo"));
        Fixture("mkfifo", Path.Join(directory, ".env"));
        var dotenv = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "users");

        Assert.Equal((2, $"infradiff: {fifo}: a FIFO, not a regular file"), (diff.ExitCode, diff.StandardError.TrimEnd()));
        Assert.Equal((2, $"infradiff: {fifo}: a FIFO, not a regular file"), (config.ExitCode, config.StandardError.TrimEnd()));
        Assert.Equal(2, alert.ExitCode);
        Assert.Contains("a FIFO, not a regular file", alert.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, dotenv.ExitCode);
        Assert.Contains(".env: a FIFO, not a regular file", dotenv.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "invalid metadata: no host, tool, takenAt, collectors")]
    [InlineData("""{"host":"web1","takenAt":"yesterday","tool":"t","collectors":{}}""", "invalid metadata: 'yesterday' is not an ISO 8601 time with a time zone (2026-11-27T14:00:00Z)")]
    [InlineData("""{"host":"web1","takenAt":"2026-11-27T14:00:00","tool":"t","collectors":{}}""", "invalid metadata: '2026-11-27T14:00:00' is not an ISO 8601 time with a time zone (2026-11-27T14:00:00Z)")]
    public async Task Bad_metadata_is_one_line_naming_the_file(string metadata, string problem)
    {
        var bad = Write("bad.json", Snapshot(metadata));

        var result = await CliRunner.RunAsync("diff", bad, bad);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {bad}: {problem}", result.StandardError.TrimEnd());
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"schemaVersion":1,"metadata":{"host":"a","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}}}""", "schemaVersion")]
    [InlineData("""{"schemaVersion":1,"metadata":{"host":"a","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},"users":{"accounts":{"root":{"uid":0,"uid":1000}}}}""", "uid")]
    public async Task Duplicate_keys_at_any_depth_are_refused_naming_the_key(string json, string key)
    {
        var bad = Write("dup.json", json);

        var result = await CliRunner.RunAsync("diff", bad, bad);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {bad}: invalid JSON: duplicate key {key}", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_key_is_refused_naming_the_file()
    {
        var bad = Write("surrogate.json", Snapshot(GoodMetadata, "\"users\":{\"accounts\":{\"\\ud800x\":{}}}"));

        var result = await CliRunner.RunAsync("diff", bad, bad);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"infradiff: {bad}: invalid JSON: an unpaired UTF-16 surrogate escape at byte ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_without_its_sides_is_not_a_drift_report()
    {
        var report = Write("report.json", """{"before":{"host":"a","takenAt":"2026-11-27T14:00:00Z"},"after":null,"summary":{},"changes":[],"unknown":[],"notices":[]}""");

        var result = await CliRunner.RunAsync("alert", report, "--webhook", "http://127.0.0.1:9/hook");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {report}: not a drift report (before, after, summary and changes are required)", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_bad_baseline_is_never_replaced_by_update_baseline()
    {
        var baseline = Write("baseline.json", Snapshot("{}"));

        var result = await CliRunner.RunAsync("check", "--baseline", baseline, "--update-baseline", "--only", "users");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(Snapshot("{}"), File.ReadAllText(baseline));
    }

    [Fact]
    public async Task Output_onto_a_device_is_refused_and_dash_is_stdout()
    {
        var device = await CliRunner.RunAsync("snapshot", "--only", "users", "-o", "/dev/null");
        var dash = await CliRunner.RunAsync("snapshot", "--only", "users", "-o", "-");

        Assert.Equal(2, device.ExitCode);
        Assert.StartsWith("infradiff: /dev/null: a character device, not a regular file: not replaced", device.StandardError, StringComparison.Ordinal);
        using (var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", "/dev/null"]) { RedirectStandardOutput = true })!)
        {
            Assert.Equal("character special file", stat.StandardOutput.ReadToEnd().Trim());
        }

        Assert.Equal(0, dash.ExitCode);
        using var _ = JsonDocument.Parse(dash.StandardOutput);
    }

    [Theory]
    [InlineData("""{"ignore":[{"path":""}]}""", "ignore rule path '' would ignore all drift")]
    [InlineData("""{"ignore":[{"path":"/**"}]}""", "ignore rule path '/**' would ignore all drift")]
    public async Task An_ignore_rule_that_would_ignore_everything_is_refused(string config, string message)
    {
        var good = Write("good.json", Snapshot(GoodMetadata));
        var rules = Write("rules.json", config);

        var result = await CliRunner.RunAsync("diff", good, good, "--config", rules);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catastrophic_pattern_is_a_notice_not_a_failure()
    {
        var before = Write("a.json", Snapshot(GoodMetadata, "\"users\":{\"accounts\":{\"a\":{\"gecos\":\"x\"}}}"));
        var after = Write("b.json", Snapshot(GoodMetadata, $"\"users\":{{\"accounts\":{{\"a\":{{\"gecos\":\"{new string('a', 40)}!\"}}}}}}"));
        var rules = Write("rules.json", """{"severity":[{"path":"/users","severity":"critical","valueMatches":"^(a+)+$"}]}""");

        var result = await CliRunner.RunAsync("diff", before, after, "--config", rules);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("notice: severity rule /users: a pattern took longer than 1 s on /users/accounts/a/gecos; the rule was skipped there", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interval_longer_than_a_timer_can_wait_is_refused()
    {
        var result = await CliRunner.RunInAsync(directory, null, "watch", "--interval", "60d", "--once", "--only", "users");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: --interval: can be at most 24 days (the longest a timer waits), not '60d'", result.StandardError.TrimEnd());
    }

    private static void Fixture(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
