using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InfraDiff.Cli.Tests;

/// <summary>What an operator's log pipeline and Prometheus read: JSON log lines and the metrics file, checked by promtool.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-obs-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static List<JsonElement> JsonLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string file)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(file));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Json_logs_are_one_object_a_line_with_utc_time_level_category_and_event_id()
    {
        var result = await CliRunner.RunAsync("watch", "--once", "--dir", Path.Join(directory, "store"), "--only", "os,users", "--log-format", "json", "--heartbeat", "off");

        Assert.Equal(0, result.ExitCode);
        var lines = JsonLines(result.StandardError);
        Assert.True(lines.Count >= 2, result.StandardError);
        Assert.All(lines, line =>
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("Timestamp").GetString());
            Assert.Contains(line.GetProperty("LogLevel").GetString(), new[] { "Information", "Warning", "Error" });
            Assert.StartsWith("InfraDiff.", line.GetProperty("Category").GetString(), StringComparison.Ordinal);
            Assert.True(line.GetProperty("EventId").GetInt32() > 0, line.ToString());
        });
        var cycle = lines.Single(l => l.GetProperty("EventId").GetInt32() == 2001);
        Assert.Equal("InfraDiff.Monitoring.DriftMonitor", cycle.GetProperty("Category").GetString());
        Assert.Equal("first snapshot stored", cycle.GetProperty("State").GetProperty("Outcome").GetString());
    }

    [Fact]
    public async Task A_collector_failure_logs_under_its_own_category_with_its_stack_trace_only_when_verbose()
    {
        var quiet = await CliRunner.RunAsync("snapshot", "--only", "docker", "--docker-host", "tcp://127.0.0.1:1", "--log-format", "json");
        var verbose = await CliRunner.RunAsync("snapshot", "--only", "docker", "--docker-host", "tcp://127.0.0.1:1", "--log-format", "json", "--verbose");

        Assert.Equal(3, quiet.ExitCode);
        var line = Assert.Single(JsonLines(quiet.StandardError));
        Assert.Equal("InfraDiff.Collectors.docker", line.GetProperty("Category").GetString());
        Assert.Equal(1001, line.GetProperty("EventId").GetInt32());
        Assert.Contains("Connection refused", line.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.False(line.TryGetProperty("Exception", out _));
        var failure = JsonLines(verbose.StandardError).Single(l => l.GetProperty("EventId").GetInt32() == 1001);
        Assert.Contains("at InfraDiff.Sections.Docker.DockerCollector", failure.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_error_is_one_json_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("diff", Path.Join(directory, "missing.json"), Path.Join(directory, "missing.json"), "--log-format", "json");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(JsonLines(result.StandardError));
        Assert.Equal(("Error", 3002), (line.GetProperty("LogLevel").GetString(), line.GetProperty("EventId").GetInt32()));
        Assert.Equal($"{Path.Join(directory, "missing.json")}: no such file", line.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task The_metrics_file_passes_promtool_and_reads_back_the_cycle()
    {
        var metrics = Path.Join(directory, "infradiff.prom");

        var result = await CliRunner.RunAsync("watch", "--once", "--dir", Path.Join(directory, "store"), "--only", "os,users", "--metrics-file", metrics, "--heartbeat", "off");

        Assert.Equal(0, result.ExitCode);
        var (exitCode, output) = await PromtoolAsync(metrics);
        Assert.True(exitCode == 0, output);
        Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(metrics), 8));
        var samples = File.ReadAllLines(metrics).Where(l => !l.StartsWith('#'))
            .Select(l => Regex.Match(l, @"^(\S+) (\S+)$")).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, samples["infradiff_cycles_total{outcome=\"ok\"}"]);
        Assert.Equal(0, samples["infradiff_alerts_pending"]);
        Assert.True(samples["infradiff_collector_duration_seconds{collector=\"users\",status=\"ok\"}"] > 0);
        Assert.InRange(samples["infradiff_cycle_last_success_seconds"], DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Contains("# TYPE infradiff_cycles_total counter", File.ReadAllLines(metrics));
    }

    [Fact]
    public async Task Alerts_go_to_a_file_as_ecs_records_for_a_log_shipper_and_nothing_to_stdout()
    {
        var tree = Directory.CreateDirectory(Path.Join(directory, "tree")).FullName;
        var alerts = Path.Join(directory, "drift.ndjson");
        string[] watch = ["watch", "--once", "--only", "files", "--files", tree, "--dir", Path.Join(directory, "store"), "--heartbeat", "off", "--alerts-file", alerts, "--alerts-format", "ecs"];
        await CliRunner.RunAsync(watch);
        await File.WriteAllTextAsync(Path.Join(tree, "new.conf"), "x");

        var result = await CliRunner.RunAsync(watch);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        var records = File.ReadAllLines(alerts).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(Path.Join(tree, "new.conf"), records[0].GetProperty("file").GetProperty("path").GetString());
        Assert.Equal("creation", records[0].GetProperty("event").GetProperty("type")[0].GetString());
        Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(alerts), 8));
    }

    [Fact]
    public async Task Promtool_rejects_a_malformed_metrics_file()
    {
        var broken = Path.Join(directory, "broken.prom");
        await File.WriteAllTextAsync(broken, "# TYPE infradiff_cycles counter\ninfradiff_cycles{outcome=ok} one\n");

        var (exitCode, _) = await PromtoolAsync(broken);

        Assert.NotEqual(0, exitCode);
    }
}
