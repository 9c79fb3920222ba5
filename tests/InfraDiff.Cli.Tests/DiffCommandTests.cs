using System.Text.Json;

namespace InfraDiff.Cli.Tests;

public sealed class DiffCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-diff-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Snapshot(string sections) =>
        $$$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},{{{sections}}}}""";

    private (string Before, string After) Pair() => (
        Write("before.json", Snapshot("""
            "users":{"accounts":{"alice":{"shell":"/bin/bash"}}},"packages":{"openssl":{"version":"3.0.11"}}
            """)),
        Write("after.json", Snapshot("""
            "users":{"accounts":{"alice":{"shell":"/bin/zsh"}}},"packages":{"openssl":{"version":"3.0.13"}}
            """)));

    [Fact]
    public async Task Drift_exits_1_with_a_summary_line_the_severe_changes_first_then_categories_by_severity_and_no_colour_when_redirected()
    {
        var (before, after) = Pair();

        var result = await CliRunner.RunAsync("diff", before, after);

        // Each line carries its change's id: the first ten hex digits of the SHA-256 of "replace\n/users/accounts/alice/shell\n\"/bin/bash\"\n\"/bin/zsh\""
        // (kind, path, old and new values in canonical JSON), worked out apart from infradiff.
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            """
            2 changes: 0 critical, 1 high, 1 medium, 0 low (web1 2026-11-27T14:00:00Z → web1 2026-11-27T14:00:00Z)

            critical and high
              ~ [high] c11fb88cb8 users: user alice: shell /bin/bash → /bin/zsh

            users (0 added, 0 removed, 1 changed)
              ~ [high] c11fb88cb8 user alice: shell /bin/bash → /bin/zsh

            packages (0 added, 0 removed, 1 changed)
              ~ [medium] b3f8fabe6a package openssl: 3.0.11 → 3.0.13

            """,
            result.StandardOutput);
        Assert.DoesNotContain("\u001b[", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_drift_exits_0()
    {
        var (before, _) = Pair();

        var result = await CliRunner.RunAsync("diff", before, before, "--format", "json-patch");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[]\n", result.StandardOutput);
    }

    [Fact]
    public async Task Json_patch_and_json_formats_are_machine_readable()
    {
        var (before, after) = Pair();

        var patch = await CliRunner.RunAsync("diff", before, after, "--format", "json-patch");
        var report = await CliRunner.RunAsync("diff", before, after, "-f", "json");

        using var patchDocument = JsonDocument.Parse(patch.StandardOutput);
        Assert.Equal(["test", "replace", "test", "replace"], patchDocument.RootElement.EnumerateArray().Select(o => o.GetProperty("op").GetString()));
        using var reportDocument = JsonDocument.Parse(report.StandardOutput);
        Assert.Equal(1, reportDocument.RootElement.GetProperty("summary").GetProperty("users").GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task Markdown_has_a_table_per_category()
    {
        var (before, after) = Pair();

        var result = await CliRunner.RunAsync("diff", before, after, "--format", "markdown");

        Assert.Contains("### users (0 added, 0 removed, 1 changed)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(@"| changed | high | user alice\: shell \/bin\/bash → \/bin\/zsh | `/users/accounts/alice/shell` |", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_severity_rules_take_op_and_when_conditions()
    {
        var (before, after) = Pair();
        var config = Write("rules.json", """
            {"severity":[
              {"path":"/packages/*/version","severity":"critical","op":["replace"],"when":["new =~ ^3\\.0\\.1[3-9]$","old != 3.0.13"]},
              {"path":"/users/accounts/*/shell","severity":"low","when":["new == /bin/tcsh"]}
            ]}
            """);

        var result = await CliRunner.RunAsync("diff", before, after, "--config", config);

        Assert.Contains("~ [critical] b3f8fabe6a package openssl: 3.0.11 → 3.0.13", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("~ [high] c11fb88cb8 user alice: shell /bin/bash → /bin/zsh", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_condition_in_the_config_is_one_line_naming_the_file()
    {
        var (before, after) = Pair();
        var config = Write("rules.json", """{"severity":[{"path":"/users","severity":"high","when":["shell is zsh"]}]}""");

        var result = await CliRunner.RunAsync("diff", before, after, "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"infradiff: {config}: invalid severity rule /users: condition 'shell is zsh': expected 'OPERAND OPERATOR VALUE' with one of !& !~ =~ == != & between spaces",
            result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task Config_ignore_rules_and_min_severity_apply()
    {
        var (before, after) = Pair();
        var config = Write("rules.json", """{"ignore":[{"path":"/users/accounts/*/shell","reason":"zsh rollout"}]}""");

        var ignored = await CliRunner.RunAsync("diff", before, after, "--config", config, "--min-severity", "medium");
        var high = await CliRunner.RunAsync("diff", before, after, "--min-severity", "high", "-f", "json-patch");

        Assert.Contains("package openssl", ignored.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", ignored.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("openssl", high.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_infradiff_json_in_the_working_directory_is_used_without_config()
    {
        var (before, after) = Pair();
        Write("infradiff.json", """{"ignore":[{"path":"/packages"}]}""");

        var result = await CliRunner.RunInAsync(directory, null, "diff", before, after);

        Assert.DoesNotContain("openssl", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.json", "missing.json: no such file")]
    [InlineData("bad.json", "bad.json: invalid JSON at line 2, position 1")]
    [InlineData("array.json", "array.json: not an infradiff snapshot (the document is not a JSON object)")]
    [InlineData("future.json", "future.json: unknown schemaVersion 9 (this infradiff reads 1)")]
    [InlineData("plain.json", "plain.json: not an infradiff snapshot (no schemaVersion)")]
    public async Task A_bad_input_file_is_one_line_naming_it_and_exit_2(string name, string expected)
    {
        var (before, _) = Pair();
        Write("bad.json", "{\"schemaVersion\":\n");
        Write("array.json", "[]");
        Write("future.json", "{\"schemaVersion\":9,\"metadata\":{}}");
        Write("plain.json", "{\"users\":{}}");

        var result = await CliRunner.RunAsync("diff", before, Path.Join(directory, name));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal($"infradiff: {Path.Join(directory, expected)}", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_bad_option_value_is_one_line_and_exit_2_not_1()
    {
        var (before, after) = Pair();

        var result = await CliRunner.RunAsync("diff", before, after, "--format", "yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.TrimEnd().Split('\n'));
        Assert.Contains("'yaml'", result.StandardError, StringComparison.Ordinal);
    }
}

public sealed class CheckCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-check-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_missing_baseline_is_an_error_unless_updating_which_creates_it_and_then_check_is_clean()
    {
        var baseline = Path.Join(directory, "baseline.json");

        var missing = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users,packages");
        var createdByError = File.Exists(baseline);
        var created = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users,packages", "--update-baseline");
        var clean = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users,packages");

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"infradiff: {baseline}: no such file (make it with --update-baseline)", missing.StandardError.TrimEnd());
        Assert.False(createdByError);
        Assert.Equal(0, created.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(baseline));
        Assert.Equal(0, clean.ExitCode);
        Assert.StartsWith("No drift", clean.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_from_the_baseline_exits_1_and_update_baseline_accepts_it()
    {
        var baseline = Path.Join(directory, "baseline.json");
        await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users", "--update-baseline");
        var text = File.ReadAllText(baseline).Replace("\"shell\": \"/bin/bash\"", "\"shell\": \"/bin/tcsh\"", StringComparison.Ordinal);
        File.WriteAllText(baseline, text);

        var drift = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users", "--format", "json-patch");
        var accept = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users", "--update-baseline");
        var after = await CliRunner.RunAsync("check", "--baseline", baseline, "--only", "users");

        Assert.Equal(1, drift.ExitCode);
        Assert.Contains("\"value\":\"/bin/tcsh\"", drift.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, accept.ExitCode);
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public async Task A_corrupt_baseline_is_left_untouched_even_with_update_baseline()
    {
        var baseline = Path.Join(directory, "baseline.json");
        File.WriteAllText(baseline, "not json");

        var result = await CliRunner.RunAsync("check", "--baseline", baseline, "--update-baseline");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("not json", File.ReadAllText(baseline));
    }
}
