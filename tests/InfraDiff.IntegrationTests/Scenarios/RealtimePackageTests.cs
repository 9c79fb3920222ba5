using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// Real-time watching of a Debian root while dpkg installs a package in it (chroot): the install is one batch, told
/// by the package manager that made it and explained by the package, not one alert per file.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class RealtimePackageTests(DebianRoot debian)
{
    [Fact]
    public async Task A_dpkg_install_in_a_watched_root_is_one_alert_attributed_to_dpkg_and_explained_by_the_package()
    {
        const string Package = PackageExplainedDriftTests.Package;
        var root = await debian.CopyAsync("realtime");
        var work = Directory.CreateTempSubdirectory("idt-realtime-dpkg-").FullName;
        var alerts = Path.Join(work, "alerts.jsonl");
        var deb = PackageExplainedDriftTests.BuildDeb(work, "1.0-1");
        DriftMonitor Monitor(bool realtime) => new(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = ["/usr/share", "/usr/bin", "/etc"], UseCache = false })),
            new DriftMonitorOptions
            {
                Directory = Path.Join(work, "store"),
                StoreKey = StoreKey.FromBytes(new byte[32]),
                Snapshot = new SnapshotOptions { Root = root, Only = ["files", "packages"] },
                Interval = TimeSpan.FromHours(1),
                Heartbeat = TimeSpan.Zero,
                Realtime = realtime,
            },
            [new FileAlertSink(alerts)]);

        using var stop = new CancellationTokenSource();
        var monitor = Monitor(realtime: true);
        var running = Task.Run(() => monitor.RunAsync(stop.Token));
        await Tool.WaitForAsync(() => monitor.Store.Snapshots().Count > 0 || running.IsCompleted, "the first cycle", seconds: 120);
        Assert.Null(monitor.RealtimeUnavailable);

        Assert.Equal(0, await PackageExplainedDriftTests.InstallAsync(root, deb));
        await Tool.WaitForAsync(() => File.Exists(alerts) && File.ReadAllText(alerts).Contains($"\"package {Package} added", StringComparison.Ordinal), "the install's alert", seconds: 30);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await running;

        // One alert for the whole install: every file of the package in it, told as the package's and by dpkg.
        var alert = JsonDocument.Parse(Assert.Single(File.ReadAllLines(alerts))).RootElement;
        var changes = alert.GetProperty("changes").EnumerateArray().ToList();
        // The package, its folder, its data files, its command and its conffile.
        Assert.Equal(1 + 1 + PackageExplainedDriftTests.DataFiles + 2, alert.GetProperty("totals").GetProperty("changes").GetInt32());
        var files = changes.Where(c => c.GetProperty("category").GetString() == "files").ToList();
        Assert.NotEmpty(files);
        Assert.All(files, c => Assert.Equal($"package {Package} 1.0-1 installed", c.GetProperty("explainedBy").GetString()));
        Assert.All(files, c => Assert.Equal("dpkg", c.GetProperty("by").GetProperty("packageManager").GetString()));
        var by = changes.Single(c => c.GetProperty("category").GetString() == "packages").GetProperty("by");
        Assert.Equal("dpkg", by.GetProperty("packageManager").GetString());
        Assert.StartsWith($"dpkg -i /tmp/{Package}_1.0-1_all.deb", by.GetProperty("packageCommand").GetString(), StringComparison.Ordinal);

        // A full cycle finds nothing the targeted one missed.
        var full = await Monitor(realtime: false).RunCycleAsync();
        Assert.False(full.Report!.HasDrift, string.Join("\n", full.Report.Changes.Select(c => c.Summary)));
        Directory.Delete(work, recursive: true);
    }
}
