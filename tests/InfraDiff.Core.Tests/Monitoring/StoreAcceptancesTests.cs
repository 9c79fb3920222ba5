using System.Security.Cryptography;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Monitoring;

/// <summary>
/// Acceptances in a real store, made by real cycles of a monitor over a real tree: one change accepted by id into the
/// baseline, acknowledgements where the store compares with the previous snapshot, and an edited acceptances file
/// quarantined and alerted like any store file.
/// </summary>
public sealed class StoreAcceptancesTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("infradiff-accept-store-").FullName;
    private readonly StoreKey key = StoreKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    public StoreAcceptancesTests()
    {
        Directory.CreateDirectory(Path.Join(Tree, "ssh"));
        File.WriteAllText(Path.Join(Tree, "ssh", "sshd_config"), "PermitRootLogin no\n");
        File.WriteAllText(Path.Join(Tree, "ls"), "binary");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    private string Alerts => Path.Join(work, "alerts.jsonl");

    private DriftMonitor Monitor(DriftReference against) => new(
        new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
        new DriftMonitorOptions { Directory = Store, Against = against, RepeatAfter = TimeSpan.Zero, Snapshot = new SnapshotOptions { Only = ["files"] }, StoreKey = key, Heartbeat = TimeSpan.Zero },
        [new FileAlertSink(Alerts)]);

    private string PathOf(string name) => JsonPointer.Append("/files", Path.Join(Tree, name));

    /// <summary>The planned sshd change and the intruder's setuid copy, in one cycle.</summary>
    private void PlannedChangeAndIntrusion()
    {
        File.WriteAllText(Path.Join(Tree, "ssh", "sshd_config"), "PermitRootLogin no\nPasswordAuthentication no\n");
        File.Copy(Path.Join(Tree, "ls"), Path.Join(Tree, ".sx"));
        File.SetUnixFileMode(Path.Join(Tree, ".sx"), (UnixFileMode)Convert.ToInt32("4755", 8));
    }

    [Fact]
    public async Task Against_the_baseline_an_accepted_change_stops_alerting_the_intrusion_does_not_and_a_second_edit_alerts_again()
    {
        await Monitor(DriftReference.Baseline).RunCycleAsync();
        PlannedChangeAndIntrusion();
        var first = await Monitor(DriftReference.Baseline).RunCycleAsync();
        var sshd = first.Report!.Changes.Single(c => c.Path == PathOf("ssh/sshd_config"));
        var setuid = first.Report.Changes.Single(c => c.Path == PathOf(".sx"));
        var store = new SnapshotStore(Store, key);

        var accepted = await store.Acceptances.AcceptAsync([sshd.Id], "planned hardening, CHG-1", "alice", new DriftRules());

        Assert.Equal([(sshd.Id, AcceptanceAction.Baseline)], accepted.Select(a => (a.Id, a.Action)));
        for (var cycle = 0; cycle < 2; cycle++)
        {
            var next = await Monitor(DriftReference.Baseline).RunCycleAsync();
            Assert.True(next.Alerted);
            Assert.DoesNotContain(next.Report!.Changes, c => c.Path == sshd.Path);
            Assert.Contains(next.Report.Changes, c => c.Id == setuid.Id && c.Severity == Severity.Critical);
        }

        File.AppendAllText(Path.Join(Tree, "ssh", "sshd_config"), "X11Forwarding yes\n");
        var edited = await Monitor(DriftReference.Baseline).RunCycleAsync();
        var again = edited.Report!.Changes.Single(c => c.Path == sshd.Path);
        Assert.NotEqual(sshd.Id, again.Id);
        Assert.Empty(StoreVerifier.Verify(Store, key, out _));
        var recorded = Assert.Single(await store.Acceptances.ReadAsync());
        Assert.Equal(("alice", "planned hardening, CHG-1"), (recorded.By, recorded.Reason));
    }

    [Fact]
    public async Task An_id_not_in_the_drift_is_refused_and_records_nothing()
    {
        await Monitor(DriftReference.Baseline).RunCycleAsync();
        PlannedChangeAndIntrusion();
        await Monitor(DriftReference.Baseline).RunCycleAsync();
        var store = new SnapshotStore(Store, key);
        var baseline = File.ReadAllBytes(store.BaselinePath);

        var error = await Assert.ThrowsAsync<InfraDiffException>(() => store.Acceptances.AcceptAsync(["0123456789"], "r", "alice", new DriftRules()));

        Assert.StartsWith("0123456789: no change with this id", error.Message, StringComparison.Ordinal);
        Assert.Equal(baseline, File.ReadAllBytes(store.BaselinePath));
        Assert.False(File.Exists(Path.Join(Store, "acceptances.json")));
    }

    [Fact]
    public async Task Against_the_previous_snapshot_accepting_acknowledges_and_the_rest_stay_unacknowledged_most_severe_first()
    {
        await Monitor(DriftReference.Previous).RunCycleAsync();
        PlannedChangeAndIntrusion();
        var cycle = await Monitor(DriftReference.Previous).RunCycleAsync();
        var sshd = cycle.Report!.Changes.Single(c => c.Path == PathOf("ssh/sshd_config"));
        var store = new SnapshotStore(Store, key);
        Assert.Equal(Severity.Critical, (await store.Acceptances.UnacknowledgedAsync())[0].Change.Severity);

        var accepted = await store.Acceptances.AcceptAsync([sshd.Id], "planned", "alice", new DriftRules());

        Assert.Equal(AcceptanceAction.Acknowledged, Assert.Single(accepted).Action);
        var left = await store.Acceptances.UnacknowledgedAsync();
        Assert.Equal([PathOf(".sx")], left.Select(u => u.Change.Path));
        await store.Acceptances.AcceptAsync(null, "day one", "alice", new DriftRules());
        Assert.Empty(await store.Acceptances.UnacknowledgedAsync());
    }

    [Fact]
    public async Task An_edited_acceptances_file_is_quarantined_and_alerted_and_accepts_nothing()
    {
        await Monitor(DriftReference.Previous).RunCycleAsync();
        PlannedChangeAndIntrusion();
        var cycle = await Monitor(DriftReference.Previous).RunCycleAsync();
        var store = new SnapshotStore(Store, key);
        await store.Acceptances.AcceptAsync([cycle.Report!.Changes.Single(c => c.Path == PathOf(".sx")).Id], "looked at it", "alice", new DriftRules());
        var path = Path.Join(Store, "acceptances.json");

        // An intruder widens the acceptance to the change nobody looked at.
        File.WriteAllText(path, File.ReadAllText(path).Replace("looked at it", "looked at it twice", StringComparison.Ordinal));

        Assert.NotEmpty(StoreVerifier.Verify(Store, key, out _));
        await Monitor(DriftReference.Previous).RunCycleAsync();
        Assert.Empty(await new SnapshotStore(Store, key).Acceptances.ReadAsync());
        Assert.Contains(File.ReadAllLines(Alerts), l => l.Contains("store file acceptances.json: tampered", StringComparison.Ordinal) && l.Contains("\"critical\"", StringComparison.Ordinal));
        Assert.Contains(Directory.GetFiles(Path.Join(Store, "quarantine")), f => Path.GetFileName(f).EndsWith("-acceptances.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_heartbeat_names_the_critical_and_high_changes_nobody_acknowledged()
    {
        await Monitor(DriftReference.Previous).RunCycleAsync();
        PlannedChangeAndIntrusion();
        await Monitor(DriftReference.Previous).RunCycleAsync();
        var monitor = new DriftMonitor(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
            new DriftMonitorOptions { Directory = Store, Snapshot = new SnapshotOptions { Only = ["files"] }, StoreKey = key, Heartbeat = TimeSpan.FromSeconds(1) },
            [new FileAlertSink(Alerts)]);

        // The heartbeat's clock starts at the monitor's first cycle.
        await monitor.RunCycleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await monitor.RunCycleAsync();

        var heartbeat = File.ReadAllLines(Alerts).Select(l => JsonDocument.Parse(l).RootElement).Single(a => a.GetProperty("heartbeat").GetBoolean());
        Assert.Contains(heartbeat.GetProperty("notices").EnumerateArray(), n => n.GetString()!.StartsWith("1 critical and 0 high change alerted and not acknowledged", StringComparison.Ordinal));
    }
}
