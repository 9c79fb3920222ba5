using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// What a CI pipeline consumes: the JUnit report (validated against the schema Jenkins' xunit plugin ships, with
/// xmllint, and read back by xunit-viewer under Node.js), GitHub Actions' step summary, outputs and annotations,
/// and the sample pipelines under samples/ci.
/// </summary>
public sealed class CiIntegrationTests : IDisposable
{
    private const string Hostile = "evil<script>alert(1)</script>]]>&%0A\u202E\u0001\n::error::pwned,%\r\n::set-output name=drift::false";

    private static readonly string Oracle = Metadata("OracleDirectory");
    private static readonly string Repository = Metadata("RepositoryDirectory");

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-ci-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Metadata(string key) =>
        typeof(CiIntegrationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>users: alice's shell changes (high) and a uid-0 account appears (critical); packages: openssl (medium); os unchanged; scheduled not collected later; users' password status not readable later.</summary>
    private (string Before, string After) Drifted()
    {
        const string before = """
            {"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},
             "os":{"name":"Debian"},"scheduled":{"cron":{}},
             "users":{"accounts":{"alice":{"shell":"/bin/bash","uid":1000}}},"packages":{"openssl":{"version":"3.0.11"}}}
            """;
        var after = $$$"""
            {"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T15:00:00Z","tool":"t","collectors":{
               "scheduled":{"status":"failed","durationMs":1,"reason":"crontab unreadable"},
               "users":{"status":"ok","durationMs":1,"unavailable":{"passwordStatus":"/etc/shadow: permission denied"} } } },
             "os":{"name":"Debian"},
             "users":{"accounts":{"alice":{"shell":"/bin/zsh","uid":1000},{{{JsonSerializer.Serialize(Hostile)}}}:{"shell":"/bin/sh","uid":0} } },
             "packages":{"openssl":{"version":"3.0.13"} } }
            """;
        return (Write("before.json", before), Write("after.json", after));
    }

    /// <summary>xmllint --schema with the xunit plugin's JUnit XSD: exit 0 only for a valid document.</summary>
    private static async Task AssertValidJunitAsync(string path)
    {
        var (exitCode, output) = await CliRunner.RunToolAsync("xmllint", "--noout", "--schema", Path.Join(AppContext.BaseDirectory, "fixtures", "junit-10.xsd"), path);
        Assert.True(exitCode == 0, output);
        Assert.Contains("validates", output, StringComparison.Ordinal);
    }

    /// <summary>The suites as xunit-viewer reads them: name → tests (name, status, messages).</summary>
    private static async Task<JsonArray> ParseWithXunitViewerAsync(string path)
    {
        var (exitCode, output) = await CliRunner.RunToolAsync("node", Path.Join(Oracle, "parse-junit.mjs"), path);
        Assert.True(exitCode == 0, output);
        return JsonNode.Parse(output)!.AsArray();
    }

    private static JsonArray Tests(JsonArray suites, string suite) =>
        suites.Single(s => (string)s!["name"]! == suite)!["tests"]!.AsArray();

    [Fact]
    public async Task The_schema_check_can_fail()
    {
        var broken = Write("broken.xml", """<testsuites><testsuite name="x"><testcase name="y"/></testsuite></testsuites>""");

        var (exitCode, output) = await CliRunner.RunToolAsync("xmllint", "--noout", "--schema", Path.Join(AppContext.BaseDirectory, "fixtures", "junit-10.xsd"), broken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'tests' is required", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junit_with_drift_fails_a_case_per_change_passes_quiet_categories_and_skips_what_was_not_compared()
    {
        var (before, after) = Drifted();

        var result = await CliRunner.RunAsync("diff", before, after, "--format", "junit");

        Assert.Equal(1, result.ExitCode);
        var report = Write("junit.xml", result.StandardOutput);
        await AssertValidJunitAsync(report);
        Assert.Equal(["users", "packages", "os", "scheduled"], XDocument.Load(report).Root!.Elements("testsuite").Select(s => (string)s.Attribute("name")!));
        var suites = await ParseWithXunitViewerAsync(report);
        Assert.Equal(["os", "packages", "scheduled", "users"], suites.Select(s => (string)s!["name"]!).Order());

        var users = Tests(suites, "users");
        Assert.Equal(["failure", "failure", "skipped"], users.Select(t => (string)t!["status"]!).Order());
        var alice = users.Single(t => ((string)t!["name"]!).Contains("user alice", StringComparison.Ordinal))!;
        Assert.Equal("c11fb88cb8 user alice: shell /bin/bash → /bin/zsh", (string)alice["name"]!);
        var aliceText = string.Join("\n", alice["messages"]!.AsArray().Select(m => (string)m!));
        Assert.Contains("[high] user alice: shell /bin/bash → /bin/zsh", aliceText, StringComparison.Ordinal);
        Assert.Contains("old: \"/bin/bash\"", aliceText, StringComparison.Ordinal);
        Assert.Contains("new: \"/bin/zsh\"", aliceText, StringComparison.Ordinal);
        Assert.Contains("path: /users/accounts/alice/shell", aliceText, StringComparison.Ordinal);
        Assert.Contains("users passwordStatus: not compared", users.Select(t => (string)t!["name"]!));

        // The hostile account name arrives as text: escaped markup, no control or reordering character, one line.
        var hostile = users.Single(t => ((string)t!["name"]!).Contains("evil", StringComparison.Ordinal))!;
        var name = (string)hostile["name"]!;
        Assert.Contains("evil<script>alert(1)</script>]]>&", name, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', name);
        Assert.DoesNotContain('\u0001', name);
        Assert.DoesNotContain('\n', name);
        Assert.Contains("critical", hostile["messages"]!.AsArray().Select(m => (string)m!));
        Assert.DoesNotContain("<script>", result.StandardOutput, StringComparison.Ordinal);

        Assert.Equal("passed", (string)Tests(suites, "os").Single()!["status"]!);
        Assert.Equal("os: no drift", (string)Tests(suites, "os").Single()!["name"]!);
        var scheduled = Tests(suites, "scheduled").Single()!;
        Assert.Equal("skipped", (string)scheduled["status"]!);
        Assert.Contains("not collected in the later snapshot: failed: crontab unreadable", scheduled["messages"]!.AsArray().Select(m => (string)m!));
        var properties = suites.Single(s => (string)s!["name"]! == "packages")!["properties"]!;
        Assert.Equal("web1", (string)properties["hostname"]![0]!);
        Assert.Equal("2026-11-27T14:00:00Z", (string)properties["infradiff.before.takenAt"]![0]!);
        Assert.Equal("3 changes: 1 critical, 1 high, 1 medium, 0 low", (string)properties["infradiff.summary"]![0]!);
    }

    [Fact]
    public async Task Junit_without_drift_is_valid_and_every_case_passes()
    {
        var (before, _) = Drifted();

        var result = await CliRunner.RunAsync("diff", before, before, "--format", "junit");

        Assert.Equal(0, result.ExitCode);
        var report = Write("junit.xml", result.StandardOutput);
        await AssertValidJunitAsync(report);
        var suites = await ParseWithXunitViewerAsync(report);
        Assert.Equal(["os", "packages", "scheduled", "users"], suites.Select(s => (string)s!["name"]!).Order());
        Assert.All(suites, s => Assert.Equal("passed", (string)s!["tests"]!.AsArray().Single()!["status"]!));
    }

    [Fact]
    public async Task Under_github_actions_diff_writes_the_step_summary_the_outputs_and_escaped_annotations_on_stderr()
    {
        var (before, after) = Drifted();
        var summary = Write("step-summary.md", "# earlier step\n");
        var outputs = Write("github-output", "earlier=1\n");

        var result = await CliRunner.RunInAsync(null, new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_OUTPUT"] = outputs,
        }, "diff", before, after, "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using (JsonDocument.Parse(result.StandardOutput))
        {
            // stdout stays the report alone.
        }

        var markdown = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("# earlier step\n## infradiff: 3 changes: 1 critical, 1 high, 1 medium, 0 low", markdown, StringComparison.Ordinal);
        Assert.Equal(
            "earlier=1\ndrift=true\nchanges=3\ncritical=1\nhigh=1\nmedium=1\nlow=0\nnot_compared=2\n",
            await File.ReadAllTextAsync(outputs));

        var commands = result.StandardError.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, commands.Count);
        Assert.StartsWith("::error title=infradiff critical%3A user ", commands[0], StringComparison.Ordinal);
        Assert.StartsWith("::warning title=infradiff high%3A user alice%3A shell /bin/bash → /bin/zsh::users: user alice: shell /bin/bash → /bin/zsh (/users/accounts/alice/shell)", commands[1], StringComparison.Ordinal);

        // The hostile name neither ends the title early, nor starts a line, nor smuggles a '%0A' that decodes into one.
        var error = commands[0];
        var properties = error[2..error.IndexOf("::", 2, StringComparison.Ordinal)];
        Assert.Contains("evil<script>alert(1)</script>]]>&%250A", properties, StringComparison.Ordinal);
        Assert.Contains("%3A%3Aerror%3A%3Apwned%2C%25", properties, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', error);
        Assert.DoesNotContain('\r', error);
        Assert.Contains("::error::pwned,%25", error[(properties.Length + 4)..], StringComparison.Ordinal);
        Assert.DoesNotContain("\n::set-output", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("\n::error::pwned", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_under_github_actions_writes_both_files_and_annotates_a_critical_change()
    {
        var baseline = Path.Join(directory, "baseline.json");
        var summary = Write("step-summary.md", "");
        var outputs = Write("github-output", "");
        var environment = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["GITHUB_OUTPUT"] = outputs };
        Assert.Equal(0, (await CliRunner.RunAsync("check", "--only", "users", "--baseline", baseline, "--update-baseline")).ExitCode);

        var clean = await CliRunner.RunInAsync(null, environment, "check", "--only", "users", "--baseline", baseline);
        var node = JsonNode.Parse(await File.ReadAllTextAsync(baseline))!;
        node["users"]!["accounts"]!["root"]!["uid"] = 4242;
        await File.WriteAllTextAsync(baseline, node.ToJsonString());
        var drifted = await CliRunner.RunInAsync(null, environment, "check", "--only", "users", "--baseline", baseline, "--format", "junit");

        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(1, drifted.ExitCode);
        Assert.StartsWith("<?xml", drifted.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("::", clean.StandardError, StringComparison.Ordinal);
        Assert.Equal(
            "::error title=infradiff critical%3A user root%3A uid 4242 → 0::users: user root: uid 4242 → 0 (/users/accounts/root/uid)",
            Assert.Single(drifted.StandardError.Split('\n'), l => l.StartsWith("::", StringComparison.Ordinal)));
        var markdown = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("## infradiff: no drift", markdown, StringComparison.Ordinal);
        Assert.Contains("## infradiff: 1 change: 1 critical, 0 high, 0 medium, 0 low", markdown, StringComparison.Ordinal);
        var lines = await File.ReadAllTextAsync(outputs);
        Assert.StartsWith("drift=false\nchanges=0\ncritical=0\n", lines, StringComparison.Ordinal);
        Assert.Contains("drift=true\nchanges=1\ncritical=1\nhigh=0\n", lines, StringComparison.Ordinal);
    }

    private static YamlMappingNode LoadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Join(Repository, relativePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : throw new Xunit.Sdk.XunitException($"no '{key}' in {node.Start}");

    [Fact]
    public void The_sample_github_workflow_has_what_github_requires_and_gates_on_check()
    {
        var workflow = LoadYaml("samples/ci/github-workflow.yml");

        Assert.IsType<YamlScalarNode>(At(workflow, "name"));
        Assert.NotNull(At(workflow, "on"));
        var jobs = (YamlMappingNode)At(workflow, "jobs");
        Assert.NotEmpty(jobs.Children);
        var runs = new List<string>();
        foreach (var (_, job) in jobs.Children)
        {
            var mapping = (YamlMappingNode)job;
            Assert.NotNull(At(mapping, "runs-on"));
            foreach (var step in ((YamlSequenceNode)At(mapping, "steps")).Children.Cast<YamlMappingNode>())
            {
                var hasUses = step.Children.ContainsKey(new YamlScalarNode("uses"));
                var hasRun = step.Children.ContainsKey(new YamlScalarNode("run"));
                Assert.True(hasUses ^ hasRun, $"a step has exactly one of uses and run ({step.Start})");
                if (hasRun)
                {
                    var run = ((YamlScalarNode)At(step, "run")).Value!;
                    Assert.DoesNotContain("${{", run, StringComparison.Ordinal);
                    runs.Add(run);
                }
            }
        }

        Assert.Contains(runs, r => Regex.IsMatch(r, @"dotnet tool (install|update) .*infradiff"));
        Assert.Contains(runs, r => r.Contains("infradiff check --baseline", StringComparison.Ordinal) && r.Contains("--waivers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sample_waivers_file_is_read_by_diff_and_waives_what_it_names()
    {
        static string Files(string time, string cert) =>
            """{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"TIME","tool":"t","collectors":{}},"files":{"/etc/ssl/certs/site.pem":{"type":"file","mode":"0644","size":1,"sha256":"CERT"},"/etc/passwd":{"type":"file","mode":"0644","size":1,"sha256":"CERT"}}}"""
                .Replace("TIME", time, StringComparison.Ordinal).Replace("CERT", cert, StringComparison.Ordinal);
        var before = Write("before-certs.json", Files("2026-11-27T14:00:00Z", "aa"));
        var after = Write("after-certs.json", Files("2026-11-28T14:00:00Z", "bb"));

        var result = await CliRunner.RunAsync("diff", before, after, "--format", "json", "--waivers", Path.Join(Repository, "samples", "ci", "waivers.json"));

        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(result.StandardOutput);
        var waived = Assert.Single(report.RootElement.GetProperty("waived").EnumerateArray());
        Assert.Equal("/files/~1etc~1ssl~1certs~1site.pem", waived.GetProperty("change").GetProperty("path").GetString());
        Assert.Equal("alice", waived.GetProperty("waiver").GetProperty("by").GetString());
        Assert.Equal(["/files/~1etc~1passwd"], report.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("path").GetString()));
    }

    [Fact]
    public void The_sample_gitlab_job_publishes_the_junit_report_and_the_markdown()
    {
        var pipeline = LoadYaml("samples/ci/gitlab-ci.yml");

        var jobs = pipeline.Children.Where(c => c.Value is YamlMappingNode m && m.Children.ContainsKey(new YamlScalarNode("script"))).ToList();
        var job = (YamlMappingNode)Assert.Single(jobs).Value;
        var script = ((YamlSequenceNode)At(job, "script")).Children.Select(s => ((YamlScalarNode)s).Value!).ToList();
        var artifacts = (YamlMappingNode)At(job, "artifacts");
        Assert.Equal("always", ((YamlScalarNode)At(artifacts, "when")).Value);
        var junit = ((YamlScalarNode)At((YamlMappingNode)At(artifacts, "reports"), "junit")).Value!;
        var paths = ((YamlSequenceNode)At(artifacts, "paths")).Children.Select(p => ((YamlScalarNode)p).Value!).ToList();

        // One snapshot, then the report twice from it: markdown for people, JUnit for the pipeline's test view; the last command's exit code gates.
        Assert.Contains(script, s => s.StartsWith("infradiff snapshot ", StringComparison.Ordinal));
        var markdown = paths.Single(p => p.EndsWith(".md", StringComparison.Ordinal));
        Assert.Contains(script, s => s.StartsWith("infradiff diff ", StringComparison.Ordinal) && s.Contains($"--format markdown > {markdown}", StringComparison.Ordinal));
        Assert.Matches($"^infradiff diff .* --format junit > {junit}$", script[^1]);
        Assert.All(script.Where(s => s.StartsWith("infradiff diff ", StringComparison.Ordinal)), s => Assert.Contains("--waivers \"$WAIVERS\"", s, StringComparison.Ordinal));
        Assert.Contains(junit, paths);
    }
}
