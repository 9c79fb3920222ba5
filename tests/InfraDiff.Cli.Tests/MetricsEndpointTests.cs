using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// <c>watch --listen</c>: a real watcher serving /metrics and /healthz on loopback, scraped by a real Prometheus
/// (Debian's server) whose HTTP API is then queried, and the shipped alert rules checked and unit-tested by promtool.
/// </summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private static readonly string Rules = Path.Join(
        typeof(MetricsEndpointTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryDirectory").Value!, "deploy", "prometheus");

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-listen-").FullName;
    private readonly List<Process> started = [];
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        foreach (var process in started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        http.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private Process Watch(StringBuilder output, int port, string interval) =>
        Keep(CliRunner.Start(output, "watch", "--dir", Path.Join(directory, "store"), "--key-file", Path.Join(directory, "key"), "--only", "os",
            "--interval", interval, "--heartbeat", "off", "--listen", $"127.0.0.1:{port}"));

    private Process Keep(Process process)
    {
        started.Add(process);
        return process;
    }

    /// <summary>Asks until <paramref name="done"/> holds for an answer (or 60 s pass), and returns the last answer.</summary>
    private async Task<(HttpStatusCode Status, string Body)> UntilAsync(string url, Func<HttpStatusCode, string, bool> done, Func<string> context)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (HttpStatusCode, string) last = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url);
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                if (done(last.Item1, last.Item2))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url}: last answer {last}\n{context()}");
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_watcher_and_a_promql_query_returns_its_cycles_with_the_rules_loaded()
    {
        var output = new StringBuilder();
        var port = LoopbackPort.Free();
        Watch(output, port, "1s");
        var prometheusPort = LoopbackPort.Free();
        var config = Path.Join(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Join(Rules, "infradiff.rules.yml")}
            scrape_configs:
              - job_name: infradiff
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            """);
        var prometheusOutput = new StringBuilder();
        var start = new ProcessStartInfo("prometheus") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Join(directory, "tsdb")}", $"--web.listen-address=127.0.0.1:{prometheusPort}" })
        {
            start.ArgumentList.Add(argument);
        }

        var prometheus = Keep(Process.Start(start)!);
        prometheus.ErrorDataReceived += (_, line) => { lock (prometheusOutput) { prometheusOutput.AppendLine(line.Data); } };
        prometheus.BeginErrorReadLine();
        string Context() => $"infradiff:\n{output}\nprometheus:\n{prometheusOutput}";

        var api = $"http://127.0.0.1:{prometheusPort}/api/v1";
        var (_, cycles) = await UntilAsync($"{api}/query?query=" + Uri.EscapeDataString("infradiff_cycles_total{job=\"infradiff\",outcome=\"ok\"} >= 2"), (status, body) => status == HttpStatusCode.OK && Results(body).Count == 1, Context);
        var (_, up) = await UntilAsync($"{api}/query?query=" + Uri.EscapeDataString("up{job=\"infradiff\"}"), (status, body) => status == HttpStatusCode.OK && Results(body).Count == 1, Context);
        var (_, rules) = await UntilAsync($"{api}/rules", (status, body) => status == HttpStatusCode.OK && body.Contains("InfraDiffCyclesStale", StringComparison.Ordinal), Context);

        Assert.Equal($"127.0.0.1:{port}", Results(cycles)[0].GetProperty("metric").GetProperty("instance").GetString());
        Assert.True(double.Parse(Results(cycles)[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Equal("1", Results(up)[0].GetProperty("value")[1].GetString());
        var group = JsonDocument.Parse(rules).RootElement.GetProperty("data").GetProperty("groups").EnumerateArray().Single();
        Assert.Equal(5, group.GetProperty("rules").GetArrayLength());
        Assert.All(group.GetProperty("rules").EnumerateArray(), r => Assert.Equal("ok", r.GetProperty("health").GetString()));
        Assert.DoesNotContain(group.GetProperty("rules").EnumerateArray(), r => r.GetProperty("state").GetString() == "firing" && r.GetProperty("name").GetString() != "InfraDiffHighSeverityDrift");
    }

    private static List<JsonElement> Results(string body) =>
        [.. JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];

    [Fact]
    public async Task Healthz_turns_503_when_no_cycle_succeeds_for_three_intervals_and_200_once_one_does()
    {
        // A cycle cannot begin while another writer holds the store: here a flock(1) the test ends when it chooses.
        var store = Directory.CreateDirectory(Path.Join(directory, "store")).FullName;
        var holder = Keep(Process.Start(new ProcessStartInfo("flock") { ArgumentList = { Path.Join(store, ".write.lock"), "sleep", "300" } })!);
        var output = new StringBuilder();
        var port = LoopbackPort.Free();
        Watch(output, port, "1s");
        var healthz = $"http://127.0.0.1:{port}/healthz";

        var (_, starting) = await UntilAsync(healthz, (_, _) => true, () => output.ToString());
        var (unhealthy, why) = await UntilAsync(healthz, (status, _) => status != HttpStatusCode.OK, () => output.ToString());
        holder.Kill(entireProcessTree: true);
        var (healthy, again) = await UntilAsync(healthz, (status, body) => status == HttpStatusCode.OK && body.StartsWith("ok: the last", StringComparison.Ordinal), () => output.ToString());

        Assert.StartsWith("ok: started ", starting, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy);
        Assert.Matches(@"^unhealthy: no successful cycle in the [0-9.]+ s since the watcher started, more than 3 intervals of 1 s\n$", why);
        Assert.Equal(HttpStatusCode.OK, healthy);
        Assert.Matches(@"^ok: the last successful cycle ended [0-9.]+ s ago\n$", again);
        using var metrics = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        Assert.Contains("infradiff_cycles_total{outcome=\"ok\"} ", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var other = await http.GetAsync($"http://127.0.0.1:{port}/");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Theory]
    [InlineData("9464", "'9464' is not ADDR:PORT")]
    [InlineData("127.0.0.1:99999", "'127.0.0.1:99999' is not ADDR:PORT")]
    [InlineData("http://127.0.0.1:9464", "'http://127.0.0.1:9464' is not ADDR:PORT")]
    public async Task A_listen_address_that_is_not_addr_port_is_one_line_and_exit_2_before_the_store_is_made(string listen, string problem)
    {
        var result = await CliRunner.RunAsync("watch", "--dir", Path.Join(directory, "store"), "--listen", listen);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: --listen: {problem}: e.g. 127.0.0.1:9464, or :9464 for every address\n", result.StandardError);
        Assert.False(Directory.Exists(Path.Join(directory, "store")));
    }

    [Fact]
    public async Task A_port_already_taken_is_one_line_and_exit_2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CliRunner.RunAsync("watch", "--dir", Path.Join(directory, "store"), "--key-file", Path.Join(directory, "key"), "--only", "os", "--listen", $"127.0.0.1:{port}");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: --listen 127.0.0.1:{port}: Address already in use\n", result.StandardError);
    }

    [Fact]
    public async Task The_shipped_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var check = await CliRunner.RunToolAsync("promtool", "check", "rules", Path.Join(Rules, "infradiff.rules.yml"));
        var test = await CliRunner.RunToolAsync("promtool", "test", "rules", Path.Join(Rules, "infradiff.rules.test.yml"));

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 5 rules found", check.Output, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 0, test.Output);
    }
}
