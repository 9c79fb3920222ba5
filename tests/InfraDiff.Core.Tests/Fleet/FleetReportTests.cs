using System.Text;
using InfraDiff.Fleet;

namespace InfraDiff.Tests.Fleet;

/// <summary>The fleet report carries host text (ssh's reasons, versions, summaries): every line stays one line of data.</summary>
public sealed class FleetReportTests : IDisposable
{
    private const string Hostile = "x\n::error::forged <img src=x> **b** [l](http://e.example)\u001b[2J\u202E";

    private readonly string store = Directory.CreateTempSubdirectory("infradiff-fleet-report-").FullName;

    public void Dispose() => Directory.Delete(store, recursive: true);

    [Theory]
    [InlineData("text")]
    [InlineData("markdown")]
    public async Task Host_text_in_a_fleet_report_neither_breaks_a_line_nor_becomes_markup(string format)
    {
        var results = new[] { Host("a", "1.0" + Hostile), Host("b", "1.0"), Host("c", "1.0"), Host("d", "1.0") };
        await FleetComparer.CompareAsync(results, new FleetComparisonOptions());
        results[0] = Host("a", "1.1" + Hostile);
        var failed = new FleetHostResult(new InventoryHost("e", ["all", "web"], new Dictionary<string, string>()), null, "ssh: " + Hostile, false, false, TimeSpan.Zero);
        var report = await FleetComparer.CompareAsync([.. results, failed], new FleetComparisonOptions());
        using var output = new MemoryStream();

        await FleetReportWriter.WriteAsync(report, format, output);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("::", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Any(c => char.IsControl(c) || c == '\u202E'));
        Assert.Contains(lines, l => l.Contains("openssl", StringComparison.Ordinal) && l.Contains(format == "markdown" ? @"1\.1x\\n\:\:error" : @"1.1x\n::error", StringComparison.Ordinal));
        var reason = Assert.Single(lines, l => l.Contains("ssh", StringComparison.Ordinal));
        Assert.Contains(format == "markdown" ? @"\:\:error\:\:forged \<img src\=x\> \*\*b\*\* \[l\]" : "::error::forged <img src=x> **b** [l]", reason, StringComparison.Ordinal);
        Assert.Contains(format == "markdown" ? @"\\u202E" : @"\u001B[2J\u202E", reason, StringComparison.Ordinal);
    }

    /// <summary>A change since the baselines shows the id 'fleet accept' takes (one id on every host that has it); an outlier, a difference between siblings, has none to accept.</summary>
    [Fact]
    public async Task Changes_since_the_baselines_carry_their_id_and_outliers_do_not()
    {
        var results = new[] { Host("a", "3.0.11"), Host("b", "3.0.11"), Host("c", "3.0.11"), Host("d", "3.0.11") };
        await FleetComparer.CompareAsync(results, new FleetComparisonOptions());
        results[0] = Host("a", "3.0.13");
        results[1] = Host("b", "3.0.13");
        var shared = await FleetComparer.CompareAsync(results, new FleetComparisonOptions());
        results[0] = Host("a", "3.0.11");
        results[1] = Host("b", "3.0.11");
        results[2] = Host("c", "3.0.12");
        var outlier = await FleetComparer.CompareAsync(results, new FleetComparisonOptions());

        var sharedLines = FleetReportWriter.Render(shared, markdown: false).Split('\n');
        var outlierLines = FleetReportWriter.Render(outlier, markdown: false).Split('\n');

        // Ids checked independently: python3 hashlib.sha256(b'replace\n/packages/openssl/version\n"3.0.11"\n"3.0.13"').
        Assert.Contains("  [medium] b3f8fabe6a packages: package openssl: 3.0.11 → 3.0.13 on 2 of 4 hosts; not on c, d", sharedLines);
        Assert.Contains("  [medium] 2008b6938d c: packages: package openssl: 3.0.11 → 3.0.12", outlierLines);
        Assert.Contains("  [medium] c in web: packages: package openssl: 3.0.11 → 3.0.12 (a, b, d agree)", outlierLines);
    }

    private FleetHostResult Host(string name, string version)
    {
        var directory = FleetRunner.HostDirectory(store, name);
        Directory.CreateDirectory(directory);
        var latest = Path.Join(directory, "latest.json");
        File.WriteAllText(latest, "{\"schemaVersion\":1,\"metadata\":{\"host\":\"" + name + "\",\"takenAt\":\"2026-11-30T00:00:00Z\",\"tool\":\"test\",\"collectors\":{}},"
            + "\"packages\":{\"openssl\":{\"version\":" + System.Text.Json.JsonSerializer.Serialize(version) + "}}}");
        return new FleetHostResult(new InventoryHost(name, ["all", "web"], new Dictionary<string, string>()), latest, null, false, false, TimeSpan.Zero);
    }
}
