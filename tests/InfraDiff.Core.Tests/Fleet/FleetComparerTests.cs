using InfraDiff.Fleet;

namespace InfraDiff.Tests.Fleet;

public sealed class FleetComparerTests : IDisposable
{
    private readonly string store = Directory.CreateTempSubdirectory("infradiff-fleet-compare-").FullName;

    public void Dispose() => Directory.Delete(store, recursive: true);

    [Fact]
    public async Task The_first_host_of_a_group_is_the_outlier_when_all_the_others_agree_against_it()
    {
        var results = new[] { Host("a", "1.1"), Host("b", "1.0"), Host("c", "1.0"), Host("d", "1.0") };

        var report = await FleetComparer.CompareAsync(results, new FleetComparisonOptions());

        var outlier = Assert.Single(report.Outliers);
        Assert.Equal(("a", "web", "/packages/openssl/version"), (outlier.Host, outlier.Group, outlier.Change.Path));
        Assert.Equal(("\"1.0\"", "\"1.1\""), (outlier.Change.OldValue.GetRawText(), outlier.Change.NewValue.GetRawText()));
        Assert.Equal(["b", "c", "d"], outlier.Siblings);
    }

    [Fact]
    public async Task No_host_is_an_outlier_where_every_host_differs_or_the_group_has_two()
    {
        var all = await FleetComparer.CompareAsync([Host("a", "1"), Host("b", "2"), Host("c", "3")], new FleetComparisonOptions());
        var pair = await FleetComparer.CompareAsync([Host("a", "1"), Host("b", "2")], new FleetComparisonOptions());

        Assert.Empty(all.Outliers);
        Assert.Empty(pair.Outliers);
    }

    [Fact]
    public async Task The_same_change_on_several_hosts_is_one_entry_and_a_standing_outlier_is_news_once()
    {
        var first = await FleetComparer.CompareAsync([Host("a", "1.0"), Host("b", "1.0"), Host("c", "1.0")], new FleetComparisonOptions());
        var changed = new[] { Host("a", "1.1"), Host("b", "1.1"), Host("c", "1.0") };

        var second = await FleetComparer.CompareAsync(changed, new FleetComparisonOptions());
        await FleetComparer.UpdateBaselinesAsync(changed, second);
        var third = await FleetComparer.CompareAsync(changed, new FleetComparisonOptions());

        Assert.All(first.Hosts, h => Assert.Equal(FleetHostStatus.Baselined, h.Status));
        var shared = Assert.Single(second.Shared);
        Assert.Equal(["a", "b"], shared.Hosts);
        Assert.Equal(["c"], shared.Without);
        Assert.Equal("c", Assert.Single(second.Outliers).Host);
        Assert.True(second.HasNewsSince(first));
        Assert.All(third.Hosts, h => Assert.Equal(FleetHostStatus.Clean, h.Status));
        Assert.False(third.HasNewsSince(second));
        Assert.True(third.HasNewsSince(null));
    }

    [Fact]
    public async Task A_damaged_baseline_fails_its_host_and_is_left_as_it_is()
    {
        var results = new[] { Host("a", "1.0") };
        await FleetComparer.CompareAsync(results, new FleetComparisonOptions());
        var baseline = Path.Join(store, "a", FleetComparer.BaselineFile);
        await File.WriteAllTextAsync(baseline, "{ not json");

        var report = await FleetComparer.CompareAsync(results, new FleetComparisonOptions());
        await FleetComparer.UpdateBaselinesAsync(results, report);

        var host = Assert.Single(report.Hosts);
        Assert.Equal(FleetHostStatus.Failed, host.Status);
        Assert.StartsWith($"baseline {baseline}: invalid JSON", host.Reason, StringComparison.Ordinal);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(baseline));
    }

    /// <summary>A host of group "web" whose latest snapshot has openssl at <paramref name="version"/>.</summary>
    private FleetHostResult Host(string name, string version)
    {
        var directory = FleetRunner.HostDirectory(store, name);
        Directory.CreateDirectory(directory);
        var latest = Path.Join(directory, "latest.json");
        File.WriteAllText(latest, "{\"schemaVersion\":1,\"metadata\":{\"host\":\"" + name + "\",\"takenAt\":\"2026-11-30T00:00:00Z\",\"tool\":\"test\",\"collectors\":{}},"
            + "\"packages\":{\"openssl\":{\"version\":\"" + version + "\"}}}");
        return new FleetHostResult(new InventoryHost(name, ["all", "web"], new Dictionary<string, string>()), latest, null, false, false, TimeSpan.Zero);
    }
}
