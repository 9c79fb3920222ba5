using System.Text;
using InfraDiff.Diffing;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Sections;

/// <summary>A section's meaning comes from its descriptor, whether the section is built in or a custom collector's.</summary>
public sealed class SectionDescriptorTests
{
    private static Snapshot Snap(string sections, string collectors = "{}") =>
        SnapshotFile.Parse("test", Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{collectors}}},{{sections}}}"""));

    /// <summary>A section of certificates keyed by path, each with a fingerprint, an expiry and the trust it grants.</summary>
    private static readonly SectionDescriptor Certificates = new("certs")
    {
        Nouns = [new("trusted", "trusted certificate"), new("store", "certificate store", keyed: false)],
        SeverityRules = [SeverityRule.Of("/certs/trusted/*", Severity.Critical, [ChangeKind.Add]), SeverityRule.Of("/certs", Severity.Medium)],
        Parts = new Dictionary<string, IReadOnlyList<string>> { ["expiry"] = ["/certs/trusted/*/notAfter"] },
        ContentField = "fingerprint",
    };

    private static readonly Snapshot Before = Snap("""
        "certs":{"store":{"path":"/etc/ssl/certs"},"trusted":{"/etc/ssl/a.pem":{"fingerprint":"aa","notAfter":"2027","subject":"A"}}},
        "other":{"x":{"fingerprint":"1","size":1}}
        """);

    private static readonly Snapshot After = Snap("""
        "certs":{"store":{"path":"/etc/pki"},"trusted":{"/etc/ssl/a.pem":{"fingerprint":"bb","notAfter":"2028","subject":"B"},"/etc/ssl/evil.pem":{"fingerprint":"ee","notAfter":"2030"}}},
        "other":{"x":{"fingerprint":"2","size":2}}
        """);

    [Fact]
    public void A_custom_sections_changes_are_named_by_its_nouns_ranked_by_its_rules_and_folded_by_its_content_field()
    {
        var report = SnapshotDiffer.Compare(Before, After, new DriftRules { Sections = [Certificates] });

        var lines = report.Changes.Where(c => c.Category == "certs").Select(c => $"{c.Severity} {c.Kind} {c.Path}: {c.Summary}").ToList();
        Assert.Equal(
        [
            "Medium Replace /certs/store/path: certificate store: path /etc/ssl/certs → /etc/pki",
            "Medium Replace /certs/trusted/~1etc~1ssl~1a.pem: trusted certificate /etc/ssl/a.pem: {\"fingerprint\":\"aa\",\"notAfter\":\"2027\",\"subject\":\"A\"} → {\"fingerprint\":\"bb\",\"notAfter\":\"2028\",\"subject\":\"B\"}",
            "Critical Add /certs/trusted/~1etc~1ssl~1evil.pem: trusted certificate /etc/ssl/evil.pem added",
        ], lines);
    }

    [Fact]
    public void Without_its_descriptor_the_same_section_is_named_by_its_keys_and_low()
    {
        var report = SnapshotDiffer.Compare(Before, After);

        Assert.All(report.Changes, c => Assert.Equal(Severity.Low, c.Severity));
        Assert.Contains(report.Changes, c => c.Summary == "certs store: path /etc/ssl/certs → /etc/pki");
        Assert.Contains(report.Changes, c => c.Path == "/certs/trusted/~1etc~1ssl~1a.pem/fingerprint");
        Assert.Contains(report.Changes, c => c.Path == "/other/x/fingerprint");
    }

    [Fact]
    public void A_part_the_collector_could_not_read_is_not_compared_where_the_descriptor_says_its_values_are()
    {
        var after = Snap(
            """
            "certs":{"store":{"path":"/etc/ssl/certs"},"trusted":{"/etc/ssl/a.pem":{"fingerprint":"aa","notAfter":"1970","subject":"A"}}},"other":{"x":{"fingerprint":"1","size":1}}
            """,
            """{"certs":{"status":"ok","failed":{"expiry":"openssl exited 1"}}}""");

        var report = SnapshotDiffer.Compare(Before, after, new DriftRules { Sections = [Certificates] });

        Assert.False(report.HasDrift);
        var unknown = Assert.Single(report.Unknown);
        Assert.Equal(("certs", "expiry"), (unknown.Category, unknown.Part));
    }

    [Fact]
    public void A_summary_the_descriptor_writes_itself_is_the_one_reported()
    {
        var report = SnapshotDiffer.Compare(Before, After, new DriftRules { Sections = [new ShortCertificates()] });

        Assert.Contains(report.Changes, c => c.Summary == "cert /etc/ssl/evil.pem trusted");
        Assert.Contains(report.Changes, c => c.Summary == "certs store: path /etc/ssl/certs → /etc/pki");
    }

    [Fact]
    public void A_descriptor_replaces_the_built_in_section_of_its_name()
    {
        var before = Snap("""
            "packages":{"curl":{"version":"7.88"}}
            """);
        var after = Snap("""
            "packages":{"curl":{"version":"7.89"}}
            """);
        var ours = new SectionDescriptor("packages") { Nouns = [new("", "deb")], SeverityRules = [SeverityRule.Of("/packages", Severity.High)] };

        var change = Assert.Single(SnapshotDiffer.Compare(before, after, new DriftRules { Sections = [ours] }).Changes);

        Assert.Equal((Severity.High, "deb curl: 7.88 → 7.89"), (change.Severity, change.Summary));
    }

    [Theory]
    [InlineData("/other/x", "severity rule /other/x lies outside the section")]
    [InlineData("/certsx", "severity rule /certsx lies outside the section")]
    [InlineData("certs", "must start with '/'")]
    public void A_rule_outside_its_section_is_refused_with_one_line(string path, string message)
    {
        var section = new SectionDescriptor("certs") { SeverityRules = [new SeverityRule(path, Severity.High)] };

        var error = Assert.Throws<InfraDiffException>(() => SnapshotDiffer.Compare(Before, After, new DriftRules { Sections = [section] }));

        Assert.StartsWith("section certs: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_outside_its_section_is_refused()
    {
        var section = new SectionDescriptor("certs") { Parts = new Dictionary<string, IReadOnlyList<string>> { ["x"] = ["/users"] } };

        var error = Assert.Throws<InfraDiffException>(section.Validate);

        Assert.Equal("section certs: part x (/users) lies outside the section (it must start with /certs)", error.Message);
    }

    [Fact]
    public void Every_built_in_collector_describes_its_own_section_and_every_built_in_rule_lies_in_it()
    {
        var collectors = BuiltInSections.CreateCollectors();

        Assert.Equal(BuiltInSections.Names, collectors.Select(c => c.Section.Name));
        Assert.Equal(BuiltInSections.Descriptors, collectors.Select(c => c.Section));
        Assert.All(BuiltInSections.Descriptors, d => d.Validate());
        Assert.Equal(BuiltInSections.Descriptors.Sum(d => d.SeverityRules.Count), DriftRules.DefaultSeverityRules.Count);
    }

    [Fact]
    public void A_collector_that_does_not_describe_its_section_keeps_the_built_in_meaning_of_its_name()
    {
        var before = Snap("""
            "files":{"/usr/bin/x":{"type":"file","mode":"0755","sha256":"a","size":1}}
            """);
        var after = Snap("""
            "files":{"/usr/bin/x":{"type":"file","mode":"4755","sha256":"b","size":2}}
            """);
        var undescribed = new Snapshotter([new Misnamed().Renamed("files")]).Sections;

        var change = Assert.Single(SnapshotDiffer.Compare(before, after, new DriftRules { Sections = undescribed }).Changes);

        Assert.Equal((Severity.Critical, "/files/~1usr~1bin~1x"), (change.Severity, change.Path));
        Assert.StartsWith("file /usr/bin/x: content changed, 1 → 2 bytes; mode 0755 → 4755", change.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshotter_refuses_a_collector_whose_descriptor_names_another_section()
    {
        var error = Assert.Throws<ArgumentException>(() => new Snapshotter([new Misnamed()]));

        Assert.StartsWith("the collector 'mine' describes a section named 'theirs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_with_an_empty_section_name_is_compared_like_any_undeclared_section()
    {
        var report = SnapshotDiffer.Compare(Snap("\"\":{\"a\":1}"), Snap("\"\":{\"a\":2}"));

        Assert.Equal(" a: 1 → 2", Assert.Single(report.Changes).Summary);
    }

    private sealed class ShortCertificates : SectionDescriptor
    {
        public ShortCertificates()
            : base("certs")
        {
        }

        public override string Summarize(SectionChange change) =>
            change.Keys is ["trusted", var path] && change.Kind == ChangeKind.Add ? $"cert {path} trusted" : base.Summarize(change);
    }

    private sealed class Misnamed : ICollector
    {
        public string Name => "mine";

        public SectionDescriptor Section { get; } = new("theirs");

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) => Task.FromResult<object>(new { });

        /// <summary>A collector named <paramref name="name"/> that leaves its section undescribed.</summary>
        public ICollector Renamed(string name) => new Undescribed(name);
    }

    private sealed class Undescribed(string name) : ICollector
    {
        public string Name => name;

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) => Task.FromResult<object>(new { });
    }
}
