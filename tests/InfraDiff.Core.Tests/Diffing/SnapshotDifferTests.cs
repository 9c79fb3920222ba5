using System.Text;
using System.Text.Json;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Diffing;

public sealed class SnapshotDifferTests
{
    private static Snapshot Snap(string sections, string collectors = "{}") =>
        SnapshotFile.Parse("test", Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{collectors}}},{{sections}}}"""));

    private static readonly Snapshot Before = Snap("""
        "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/bash"}},"sudoers":{"/etc/sudoers":["root ALL=(ALL:ALL) ALL"]}},
        "packages":{"openssl":{"version":"3.0.11","architecture":"amd64"},"curl":{"version":"7.88","architecture":"amd64"}},
        "files":{"/etc/ssh/sshd_config":{"sha256":"aa","mode":"0644"}},
        "custom":{"answer":41}
        """);

    private static readonly Snapshot After = Snap("""
        "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/zsh"},"mallory":{"uid":0,"shell":"/bin/sh"}},"sudoers":{"/etc/sudoers":["root ALL=(ALL:ALL) ALL"]}},
        "packages":{"openssl":{"version":"3.0.13","architecture":"amd64"},"jq":{"version":"1.6","architecture":"amd64"}},
        "files":{"/etc/ssh/sshd_config":{"sha256":"bb","mode":"0644"},"/usr/bin/sudo2":{"type":"file","sha256":"cc","mode":"4755","owner":"root","group":"root","size":10}},
        "custom":{"answer":42}
        """);

    [Fact]
    public void Names_each_change_as_an_operator_would_with_default_severities()
    {
        var report = SnapshotDiffer.Compare(Before, After);

        var lines = report.Changes.Select(c => $"{c.Severity} {c.Summary}").ToList();
        Assert.Equal(
        [
            "Low custom answer: 41 → 42",
            "Medium file /etc/ssh/sshd_config: content changed",
            "Critical file /usr/bin/sudo2 added (file 4755 root:root, 10 bytes)",
            "Medium package curl removed",
            "Medium package jq added (1.6)",
            "Medium package openssl: 3.0.11 → 3.0.13",
            "High user alice: shell /bin/bash → /bin/zsh",
            "Critical user mallory added (uid 0)",
        ], lines);
        Assert.Equal(new CategorySummary(1, 1, 1), report.Summary["packages"]);
        Assert.True(report.HasDrift);
    }

    [Fact]
    public void The_patch_carries_test_operations_and_escaped_paths()
    {
        var patch = SnapshotDiffer.Compare(Before, After).ToPatch().Select(o => $"{o.Op} {o.Path}").ToList();

        Assert.Contains("test /files/~1etc~1ssh~1sshd_config", patch);
        Assert.Equal(patch.IndexOf("test /packages/curl") + 1, patch.IndexOf("remove /packages/curl"));
    }

    [Fact]
    public void A_section_missing_because_its_collector_failed_is_one_unknown_entry_not_everything_removed()
    {
        var after = Snap("\"packages\":{}", """{"users":{"status":"failed","reason":"permission denied"}}""");
        var before = Snap("\"users\":{\"accounts\":{\"alice\":{}}},\"packages\":{}");

        var report = SnapshotDiffer.Compare(before, after);

        Assert.False(report.HasDrift);
        var unknown = Assert.Single(report.Unknown);
        Assert.Equal("users", unknown.Category);
        Assert.Equal("not collected in the later snapshot: failed: permission denied", unknown.Reason);
    }

    [Fact]
    public void Ignore_rules_drop_matching_changes_until_they_expire_and_the_report_says_so_once()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var rules = new DriftRules
        {
            Ignore =
            [
                new IgnoreRule("/packages/*/version", "patch day", new DateOnly(2026, 12, 31)),
                new IgnoreRule("/files/~1etc~1ssh~1**", "rotating", new DateOnly(2026, 11, 1)),
                new IgnoreRule("/custom"),
            ],
        };

        var report = SnapshotDiffer.Compare(Before, After, rules, clock);

        Assert.DoesNotContain(report.Changes, c => c.Path == "/packages/openssl/version" || c.Category == "custom");
        Assert.Contains(report.Changes, c => c.Path == "/packages/jq");
        Assert.Contains(report.Changes, c => c.Path == "/files/~1etc~1ssh~1sshd_config");
        Assert.Equal(["ignore rule /files/~1etc~1ssh~1** expired on 2026-11-01 and no longer applies"], report.Notices);
    }

    private static readonly Snapshot NpmBefore = Snap("""
        "files":{"/root/.npm":{"type":"directory","mode":"0755"},"/root/.npm/_cacache/index":{"sha256":"aa","mode":"0644"},"/root/.npmrc":{"sha256":"aa","mode":"0600"},"/etc/hosts":{"sha256":"aa","mode":"0644"}},
        "packages":{"curl":{"version":"7.88"}}
        """);

    private static readonly Snapshot NpmAfter = Snap("""
        "files":{"/root/.npm":{"type":"directory","mode":"0700"},"/root/.npm/_cacache/index":{"sha256":"bb","mode":"0644"},"/root/.npm/_logs/1.log":{"sha256":"cc","mode":"0644"},"/root/.npmrc":{"sha256":"bb","mode":"0600"},"/etc/hosts":{"sha256":"bb","mode":"0644"}},
        "packages":{"curl":{"version":"7.89"}}
        """);

    /// <summary>A file's rule as people write it: its own path, with or without /files before it, the pointer form still working.</summary>
    [Theory]
    [InlineData("/root/.npm/**")]
    [InlineData("/root/.npm")]
    [InlineData("/files/root/.npm/**")]
    [InlineData("/root/.n*m")]
    [InlineData("/files/~1root~1.npm/**")]
    [InlineData("/files/~1root~1.npm")]
    public void An_ignore_rule_names_a_file_by_its_path_and_covers_what_lies_beneath_it(string path)
    {
        var rules = new DriftRules { Ignore = [new IgnoreRule(path)] };

        var report = SnapshotDiffer.Compare(NpmBefore, NpmAfter, rules);

        var expected = path == "/files/~1root~1.npm"
            ? new[] { "/files/~1etc~1hosts", "/files/~1root~1.npm~1_cacache~1index", "/files/~1root~1.npm~1_logs~11.log", "/files/~1root~1.npmrc", "/packages/curl/version" }
            : ["/files/~1etc~1hosts", "/files/~1root~1.npmrc", "/packages/curl/version"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), report.Changes.Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.Empty(report.Notices);
    }

    [Fact]
    public void A_star_in_a_file_path_stays_within_one_name_and_a_severity_rule_takes_a_path_too()
    {
        var rules = new DriftRules
        {
            Ignore = [new IgnoreRule("/root/*/index")],
            Severity = [new SeverityRule("/etc/hosts", Severity.Critical)],
        };

        var report = SnapshotDiffer.Compare(NpmBefore, NpmAfter, rules);

        Assert.Contains(report.Changes, c => c.Path == "/files/~1root~1.npm~1_cacache~1index");
        Assert.Equal(Severity.Critical, report.Changes.Single(c => c.Path == "/files/~1etc~1hosts").Severity);
    }

    [Theory]
    [InlineData("/files/~1root~1.nmp~1**")]
    [InlineData("/root/.nmp/**")]
    [InlineData("/packages/curll")]
    public void An_ignore_rule_that_matches_nothing_in_either_snapshot_is_named_in_a_notice(string path)
    {
        var rules = new DriftRules { Ignore = [new IgnoreRule(path), new IgnoreRule("/etc/hosts")] };

        var report = SnapshotDiffer.Compare(NpmBefore, NpmAfter, rules);

        Assert.Equal([$"ignore rule {path} matches nothing in either snapshot (a file is named by its path, /etc/ssh/**, or by its pointer, /files/~1etc~1ssh~1**)"], report.Notices);
        Assert.DoesNotContain(report.Changes, c => c.Path == "/files/~1etc~1hosts");
    }

    [Fact]
    public void An_ignore_rule_that_ignores_nothing_today_but_names_something_is_not_a_notice()
    {
        var rules = new DriftRules { Ignore = [new IgnoreRule("/packages/curl/architecture"), new IgnoreRule("/files/~1etc~1hosts/mode")] };

        Assert.Empty(SnapshotDiffer.Compare(NpmBefore, Snap("""
            "files":{"/root/.npm":{"type":"directory","mode":"0755"}},"packages":{"curl":{"version":"7.88","architecture":"amd64"}}
            """), rules).Notices);
    }

    [Fact]
    public void A_custom_sections_event_fields_are_one_line_named_by_the_base_summary_and_stay_two_changes()
    {
        var section = new global::InfraDiff.Sections.SectionDescriptor("jobs") { Nouns = [new("", "job")], EventFields = ["state", "phase"] };
        var before = Snap(""" "jobs":{"backup":{"state":"idle","phase":"done","owner":"ops"}} """);
        var after = Snap(""" "jobs":{"backup":{"state":"busy","phase":"copy","owner":"ops"}} """);

        var report = SnapshotDiffer.Compare(before, after, new DriftRules { Sections = [section] });

        Assert.Equal(["/jobs/backup/phase", "/jobs/backup/state"], report.Changes.Select(c => c.Path));
        Assert.Equal("job backup: state/phase idle/done → busy/copy", report.Changes[0].Summary);
        Assert.Equal("/jobs/backup/phase", report.Changes[1].ToldWith);
        Assert.Single(Encoding.UTF8.GetString(ReportFormats.Render("text", DriftAlert.Of(report))).Split('\n'), l => l.Contains("job backup", StringComparison.Ordinal));
    }

    /// <summary>A unit systemd loads (started by hand, or loaded by an enable's reload) or unloads has its states added or removed together: one line, as a booted systemd showed.</summary>
    [Theory]
    [InlineData("""{"unitFile":"static"}""", """{"unitFile":"static","load":"loaded","active":"active","sub":"running"}""", "unit idle.service started (not loaded → loaded/active/running)")]
    [InlineData("""{"unitFile":"disabled"}""", """{"unitFile":"disabled","load":"loaded","active":"inactive","sub":"dead"}""", "unit idle.service loaded (not loaded → loaded/inactive/dead)")]
    [InlineData("""{"unitFile":"static","load":"loaded","active":"inactive","sub":"dead"}""", """{"unitFile":"static"}""", "unit idle.service unloaded (loaded/inactive/dead → not loaded)")]
    public void A_unit_loaded_or_unloaded_is_one_line_and_stays_three_changes(string before, string after, string summary)
    {
        var report = SnapshotDiffer.Compare(Snap($$""" "services":{"idle.service":{{before}}} """), Snap($$""" "services":{"idle.service":{{after}}} """));

        Assert.Equal(3, report.Changes.Count);
        Assert.Equal(summary, Assert.Single(report.Changes, c => c.ToldWith is null).Summary);
        var lines = Encoding.UTF8.GetString(ReportFormats.Render("text", DriftAlert.Of(report))).Split('\n');
        Assert.Single(lines, l => l.Contains("idle.service", StringComparison.Ordinal) && l.StartsWith("  ", StringComparison.Ordinal) && !l.Contains("services:", StringComparison.Ordinal));
    }

    [Fact]
    public void Operator_severity_rules_win_over_defaults_and_the_minimum_filters_changes_and_patch()
    {
        var rules = new DriftRules
        {
            Severity = [new SeverityRule("/packages/openssl", Severity.Critical), new SeverityRule("/custom/answer", Severity.High, "^42$")],
            MinimumSeverity = Severity.High,
        };

        var report = SnapshotDiffer.Compare(Before, After, rules);

        Assert.Equal(Severity.Critical, report.Changes.Single(c => c.Path == "/packages/openssl/version").Severity);
        Assert.Equal(Severity.High, report.Changes.Single(c => c.Category == "custom").Severity);
        Assert.DoesNotContain(report.Changes, c => c.Severity < Severity.High);
        Assert.DoesNotContain(report.ToPatch(), o => o.Path.StartsWith("/packages/curl", StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_serializes_without_undefined_values()
    {
        var json = JsonSerializer.Serialize(SnapshotDiffer.Compare(Before, After), SnapshotJson.Options);

        using var document = JsonDocument.Parse(json);
        var added = document.RootElement.GetProperty("changes").EnumerateArray().First(c => c.GetProperty("op").GetString() == "add");
        Assert.False(added.TryGetProperty("oldValue", out _));
        Assert.Equal("critical", document.RootElement.GetProperty("changes").EnumerateArray().Last().GetProperty("severity").GetString());
    }

    [Fact]
    public void A_directory_that_came_with_one_package_files_is_explained_by_it_and_one_shared_with_an_unexplained_file_is_not()
    {
        var before = Snap("""
            "packages":{},
            "files":{"/usr/share/doc":{"type":"dir"}}
            """);
        var after = Snap("""
            "packages":{"extra":{"version":"1.2-1"}},
            "files":{"/usr/share/doc":{"type":"dir"},
                     "/usr/share/doc/extra":{"type":"dir"},
                     "/usr/share/doc/extra/examples":{"type":"dir"},
                     "/usr/share/doc/extra/examples/a.conf":{"type":"file","package":"extra","verified":true,"sha256":"a","size":1},
                     "/usr/share/doc/extra/copyright":{"type":"file","package":"extra","verified":true,"sha256":"b","size":1},
                     "/usr/share/doc/extra-notes":{"type":"dir"},
                     "/usr/share/doc/mixed":{"type":"dir"},
                     "/usr/share/doc/mixed/copyright":{"type":"file","package":"extra","verified":true,"sha256":"c","size":1},
                     "/usr/share/doc/mixed/dropped-by-hand":{"type":"file","sha256":"d","size":1}}
            """);

        var report = SnapshotDiffer.Compare(before, after);
        var medium = SnapshotDiffer.Compare(before, after, new DriftRules { MinimumSeverity = Severity.Medium });

        string? Why(string key) => report.Changes.Single(c => c.Path == JsonPointer.Append("/files", key)).ExplainedBy;
        Assert.Equal("package extra 1.2-1 installed", Why("/usr/share/doc/extra"));
        Assert.Equal("package extra 1.2-1 installed", Why("/usr/share/doc/extra/examples"));
        Assert.Null(Why("/usr/share/doc/extra-notes"));
        Assert.Null(Why("/usr/share/doc/mixed"));
        Assert.DoesNotContain(medium.Changes, c => c.Path.Contains("~1extra~1", StringComparison.Ordinal) || c.Path.EndsWith("~1extra", StringComparison.Ordinal));
    }

    [Fact]
    public void File_changes_a_package_change_accounts_for_are_low_and_say_which_package()
    {
        var before = Snap("""
            "packages":{"coreutils":{"version":"9.1-1"},"nginx":{"version":"1.22-1"}},
            "files":{"/usr/bin/ls":{"type":"file","package":"coreutils","verified":true,"sha256":"a","size":1},
                     "/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"c","size":1}}
            """);
        var after = Snap("""
            "packages":{"coreutils":{"version":"9.1-1"},"nginx":{"version":"1.24-1"}},
            "files":{"/usr/bin/ls":{"type":"file","package":"coreutils","verified":false,"sha256":"b","size":1},
                     "/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"d","size":2}}
            """);

        var report = SnapshotDiffer.Compare(before, after);

        var nginx = report.Changes.Single(c => c.Path == "/files/~1usr~1sbin~1nginx");
        Assert.Equal(("package nginx 1.22-1 → 1.24-1", Severity.Low), (nginx.ExplainedBy, nginx.Severity));
        var ls = report.Changes.Single(c => c.Path == "/files/~1usr~1bin~1ls");
        Assert.Equal((null, Severity.Critical), (ls.ExplainedBy, ls.Severity));
        Assert.Equal("file /usr/bin/ls no longer matches package coreutils 9.1-1; content changed, same size (1 bytes)", ls.Summary);
        // One line per upgrade, the package's, carrying its verified files.
        var lines = ReportView.Of(report).Lines;
        Assert.Equal("package nginx: 1.22-1 → 1.24-1; 1 file change, all verified", lines.Single(l => l.Change.Path == "/packages/nginx/version").Summary);
        Assert.DoesNotContain(lines, l => l.Change == nginx);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class ConfigurationTests : IDisposable
{
    private readonly string path = Path.GetTempFileName();

    public void Dispose() => File.Delete(path);

    [Fact]
    public void Reads_ignore_and_severity_rules()
    {
        File.WriteAllText(path, """
            {
              // comments are allowed
              "ignore": [ { "path": "/packages/*/version", "reason": "patch day", "expires": "2026-12-31" } ],
              "severity": [ { "path": "/services/ssh.service", "severity": "critical" } ],
            }
            """);

        var configuration = InfraDiffConfiguration.Load(path);

        Assert.Equal(new IgnoreRule("/packages/*/version", "patch day", new DateOnly(2026, 12, 31)), Assert.Single(configuration.Ignore));
        Assert.Equal(Severity.Critical, Assert.Single(configuration.Severity).Severity);
    }

    [Theory]
    [InlineData("""{"ignroe": []}""", "invalid configuration: unknown setting 'ignroe'")]
    [InlineData("""{"ignore": [ { "path": "packages" } ]}""", "invalid rule path: 'packages' is not a JSON Pointer glob")]
    [InlineData("""{"severity": [ { "path": "/x", "severity": "urgent" } ]}""", "invalid configuration")]
    [InlineData("""{"severity": [ { "path": "/x", "severity": "low", "valueMatches": "([" } ]}""", "invalid valueMatches '(['")]
    [InlineData("""{"ignore": [ { "path": "/x", "expires": "someday" } ]}""", "invalid configuration")]
    public void Rejects_a_bad_configuration_with_a_message_naming_the_file(string json, string expected)
    {
        File.WriteAllText(path, json);

        var error = Assert.Throws<InfraDiffException>(() => InfraDiffConfiguration.Load(path));

        Assert.StartsWith($"{path}: {expected}", error.Message, StringComparison.Ordinal);
    }
}
