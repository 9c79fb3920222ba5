namespace InfraDiff.Cli.Tests;

/// <summary>What a new user ran into on the tool, each held: one grammar, one line per problem, nothing touched on a bad setting.</summary>
public sealed class NewUserTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-newuser-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Snapshot(string name, string sections) =>
        Write(name, $$$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},{{{sections}}}}""");

    [Fact]
    public async Task Bare_infradiff_prints_its_usage_and_help_and_version_are_commands()
    {
        var bare = await CliRunner.RunAsync();
        var help = await CliRunner.RunAsync("help", "fleet", "check");
        var version = await CliRunner.RunAsync("version");
        var unknown = await CliRunner.RunAsync("help", "dif");

        Assert.Equal(0, bare.ExitCode);
        Assert.Contains("Commands:", bare.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("infradiff fleet check [options]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StandardOutput);
        Assert.Equal((2, "infradiff: no command 'dif' (see 'infradiff --help')\n"), (unknown.ExitCode, unknown.StandardError));
    }

    [Fact]
    public async Task Only_and_exclude_of_the_same_sections_is_refused_before_anything_is_collected()
    {
        var output = Path.Join(directory, "host.json");

        var result = await CliRunner.RunAsync("snapshot", "--only", "users", "--exclude", "users", "-o", output);

        Assert.Equal((2, "infradiff: --only users: --exclude leaves out every section it names: the snapshot would be empty\n"), (result.ExitCode, result.StandardError));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task An_output_into_a_folder_that_does_not_exist_is_refused_not_created()
    {
        var output = Path.Join(directory, "no", "such", "host.json");

        var result = await CliRunner.RunAsync("snapshot", "--only", "users", "-o", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {output}: no such directory {Path.Join(directory, "no", "such")} (create it first)\n", result.StandardError);
        Assert.False(Directory.Exists(Path.Join(directory, "no")));
    }

    [Theory]
    [InlineData("--dir", "", "infradiff: --dir: is empty: give a value, or leave the setting out for its default")]
    [InlineData("--only", "bogus", "infradiff: --only: unknown section 'bogus' (known: config, docker, files, network, os, packages, scheduled, services, users)")]
    public async Task A_bad_watch_setting_creates_no_store(string flag, string value, string message)
    {
        var result = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "users", flag, value);

        Assert.Equal((2, message), (result.ExitCode, result.StandardError.TrimEnd()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public async Task A_bad_setting_from_the_environment_or_dot_env_or_the_file_is_named_where_it_was_given()
    {
        Write(".env", "INTERVAL=soon\n");
        var fromDotEnv = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "users");
        var fromEnvironment = await CliRunner.RunInAsync(directory, new Dictionary<string, string?> { ["INFRADIFF_KEEP"] = "none" }, "watch", "--once", "--only", "users", "--interval", "1m");
        File.Delete(Path.Join(directory, ".env"));
        Write("infradiff.json", """{"watch": {"repeatAfter": "later"}}""");
        var fromFile = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "users");

        Assert.Equal("infradiff: INTERVAL in .env: must be a duration such as 300, 30s, 5m or 1h, not 'soon'", fromDotEnv.StandardError.TrimEnd());
        Assert.Equal("infradiff: INFRADIFF_KEEP: must be a whole number of at least 1, not 'none'", fromEnvironment.StandardError.TrimEnd());
        Assert.Equal("infradiff: watch.repeatAfter in infradiff.json: must be a duration such as 300, 30s, 5m or 1h, not 'later'", fromFile.StandardError.TrimEnd());
        Assert.All([fromDotEnv, fromEnvironment, fromFile], r => Assert.Equal(2, r.ExitCode));
    }

    [Fact]
    public async Task Every_watch_setting_can_be_given_in_the_file()
    {
        var store = Path.Join(directory, "from-file");
        Write("infradiff.json", $$$"""{"watch": {"dir": "{{{store}}}", "keep": 3, "heartbeat": "off", "keepReports": 5}, "snapshot": {"only": ["users"]}}""");

        var result = await CliRunner.RunInAsync(directory, null, "watch", "--once");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(Directory.GetFiles(store, "snapshot-*.json"));
    }

    [Fact]
    public async Task A_dot_env_line_without_a_value_is_one_line_naming_it()
    {
        Write(".env", "WEBHOOK_URL=http://127.0.0.1:9/x\njust some words\n");

        var result = await CliRunner.RunInAsync(directory, null, "watch", "--once", "--only", "users");

        Assert.Equal((2, "infradiff: .env line 2: expected NAME=VALUE, not 'just some words'"), (result.ExitCode, result.StandardError.TrimEnd()));
    }

    [Theory]
    [InlineData("""{"ignore": [], "ignore": []}""", "the key 'ignore' is given twice")]
    [InlineData("""{"severity": [{"path": "/users", "severity": "urgent"}]}""", "severity[0].severity must be one of low, medium, high, critical")]
    [InlineData("""{"severity": [3]}""", "severity[0] must be a rule: an object with a path")]
    public async Task A_configuration_error_says_what_the_file_holds_in_its_own_words(string json, string problem)
    {
        var config = Write("rules.json", json);
        var a = Snapshot("a.json", "\"users\":{}");

        var result = await CliRunner.RunAsync("diff", a, a, "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(problem, result.StandardError.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("InfraDiff.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_minimum_severity_says_how_many_changes_it_hid()
    {
        var before = Snapshot("before.json", "\"packages\":{\"curl\":{\"version\":\"1\"},\"jq\":{\"version\":\"1\"}}");
        var after = Snapshot("after.json", "\"packages\":{\"curl\":{\"version\":\"2\"},\"jq\":{\"version\":\"2\"}}");

        var result = await CliRunner.RunAsync("diff", before, after, "--min-severity", "critical");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("No drift (2 changes below the minimum severity not shown) (", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_is_f_everywhere_and_forks_has_no_short_name()
    {
        var fleet = await CliRunner.RunAsync("fleet", "check", "--help");

        Assert.Contains("-f, --format", fleet.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("-f, --forks", fleet.StandardOutput, StringComparison.Ordinal);
    }
}
