using System.Text;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Diffing;

/// <summary>Accepting one change: only its exact value moves into the baseline, and nothing else does.</summary>
public sealed class DriftAcceptanceTests
{
    private static Snapshot Snap(string sections) =>
        SnapshotFile.Parse("test", Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{"{}"}}},{{sections}}}"""));

    private static readonly Snapshot Baseline = Snap("""
        "files":{"/etc/ssh/sshd_config":{"type":"file","sha256":"aa","mode":"0644","size":1},"/usr/bin/ls":{"type":"file","sha256":"ll","mode":"0755","size":1}},
        "services":{"ssh.service":{"unitFile":"enabled","load":"loaded","active":"active","sub":"running"}},
        "network":{"firewall":{"input":["-A INPUT -p tcp --dport 22 -j ACCEPT","-A INPUT -j DROP"]}}
        """);

    private static readonly Snapshot Later = Snap("""
        "files":{"/etc/ssh/sshd_config":{"type":"file","sha256":"bb","mode":"0644","size":1},"/usr/bin/ls":{"type":"file","sha256":"ll","mode":"0755","size":1},"/usr/bin/.sx":{"type":"file","sha256":"ss","mode":"4755","size":1}},
        "services":{"ssh.service":{"unitFile":"enabled","load":"loaded","active":"inactive","sub":"dead"}},
        "network":{"firewall":{"input":["-A INPUT -p tcp --dport 22 -j ACCEPT","-A INPUT -p tcp --dport 80 -j ACCEPT","-A INPUT -j DROP"]}}
        """);

    private static DriftChange At(DriftReport report, string path) => report.Changes.Single(c => c.Path == path);

    [Fact]
    public void Accepting_one_change_moves_its_exact_value_into_the_baseline_and_leaves_the_others_drifting()
    {
        var drift = SnapshotDiffer.Compare(Baseline, Later);
        var sshd = At(drift, "/files/~1etc~1ssh~1sshd_config");
        var setuid = At(drift, "/files/~1usr~1bin~1.sx");

        var (baseline, accepted, notFound) = DriftAcceptance.Accept(Baseline, Later, drift, [sshd.Id], "planned hardening", "alice", DateTimeOffset.UnixEpoch);

        Assert.Empty(notFound);
        var acceptance = Assert.Single(accepted);
        Assert.Equal((sshd.Id, "alice", "planned hardening", AcceptanceAction.Baseline), (acceptance.Id, acceptance.By, acceptance.Reason, acceptance.Action));
        Assert.True(System.Text.Json.JsonElement.DeepEquals(sshd.NewValue, acceptance.Value));
        var after = SnapshotDiffer.Compare(baseline, Later);
        Assert.DoesNotContain(after.Changes, c => c.Path == sshd.Path);
        Assert.Contains(after.Changes, c => c.Id == setuid.Id && c.Severity == Severity.Critical);

        // A second edit of the same file is another value: it drifts again, under another id.
        var edited = Snap("""
            "files":{"/etc/ssh/sshd_config":{"type":"file","sha256":"cc","mode":"0644","size":1},"/usr/bin/ls":{"type":"file","sha256":"ll","mode":"0755","size":1}},
            "services":{"ssh.service":{"unitFile":"enabled","load":"loaded","active":"inactive","sub":"dead"}},
            "network":{"firewall":{"input":["-A INPUT -p tcp --dport 22 -j ACCEPT","-A INPUT -j DROP"]}}
            """);
        var again = SnapshotDiffer.Compare(baseline, edited);
        var sshdAgain = At(again, sshd.Path);
        Assert.NotEqual(sshd.Id, sshdAgain.Id);
    }

    [Fact]
    public void The_same_change_has_the_same_id_on_every_run_and_host()
    {
        var first = SnapshotDiffer.Compare(Baseline, Later);
        var second = SnapshotDiffer.Compare(Baseline with { Metadata = Baseline.Metadata with { Host = "web2" } }, Later with { Metadata = Later.Metadata with { Host = "web2" } });

        Assert.Equal(first.Changes.Select(c => c.Id), second.Changes.Select(c => c.Id));
        Assert.Equal(first.Changes.Count, first.Changes.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void A_stopped_unit_is_accepted_by_its_lines_id_with_both_of_its_states()
    {
        var drift = SnapshotDiffer.Compare(Baseline, Later);
        var lead = At(drift, "/services/ssh.service/active");

        var line = DriftAcceptance.LineOf(drift, lead.Id);
        var (baseline, accepted, _) = DriftAcceptance.Accept(Baseline, Later, drift, [lead.Id], "maintenance", "bob", DateTimeOffset.UnixEpoch);

        Assert.Equal(["/services/ssh.service/active", "/services/ssh.service/sub"], line.Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.Equal(2, Assert.Single(accepted).Changes);
        Assert.DoesNotContain(SnapshotDiffer.Compare(baseline, Later).Changes, c => c.Category == "services");
        Assert.DoesNotContain(DriftAcceptance.Leads(drift), c => c.Path == "/services/ssh.service/sub");
    }

    [Fact]
    public void A_change_inside_an_ordered_list_is_accepted_only_with_every_change_of_that_list()
    {
        var drift = SnapshotDiffer.Compare(Baseline, Later);
        var inList = drift.Changes.Where(c => c.Path.StartsWith("/network/firewall/input/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inList);

        var (baseline, _, _) = DriftAcceptance.Accept(Baseline, Later, drift, [.. inList.Select(c => c.Id)], "port 80 opened for the web server", "carol", DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain(SnapshotDiffer.Compare(baseline, Later).Changes, c => c.Category == "network");
        if (inList.Count > 1)
        {
            var error = Assert.Throws<InfraDiffException>(() => DriftAcceptance.Accept(Baseline, Later, drift, [inList[0].Id], "r", "b", DateTimeOffset.UnixEpoch));
            Assert.Contains("accepted together", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_id_not_in_the_drift_is_reported_and_accepts_nothing()
    {
        var drift = SnapshotDiffer.Compare(Baseline, Later);

        var (baseline, accepted, notFound) = DriftAcceptance.Accept(Baseline, Later, drift, ["0123456789"], "r", "b", DateTimeOffset.UnixEpoch);

        Assert.Equal(["0123456789"], notFound);
        Assert.Empty(accepted);
        Assert.Same(Baseline, baseline);
    }

    [Fact]
    public void Accepting_all_records_one_acceptance_with_the_counts_and_leaves_no_drift()
    {
        var drift = SnapshotDiffer.Compare(Baseline, Later);

        var (baseline, accepted, _) = DriftAcceptance.Accept(Baseline, Later, drift, null, "day one", "root", DateTimeOffset.UnixEpoch);

        var all = Assert.Single(accepted);
        Assert.Equal(Acceptance.All, all.Id);
        Assert.Equal(drift.Changes.Count, all.Changes);
        Assert.StartsWith($"{drift.Changes.Count} changes: 1 critical", all.Summary, StringComparison.Ordinal);
        Assert.False(SnapshotDiffer.Compare(baseline, Later).HasDrift);
    }
}
