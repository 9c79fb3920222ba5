namespace InfraDiff.Cli.Tests;

/// <summary>The command line itself: mistakes named with the nearest real word, every one listed, colour and quiet on request, shell completion.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_mistyped_command_gets_the_nearest_one()
    {
        var result = await CliRunner.RunAsync("dif", "a.json", "b.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: unknown command 'dif': did you mean 'diff'? (see 'infradiff --help')", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task Every_problem_is_listed_a_mistyped_option_with_its_nearest_one()
    {
        var result = await CliRunner.RunAsync("diff", "a.json", "b.json", "--fromat", "json", "--min-severity", "urgent", "--onyl");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                "infradiff: unknown option '--fromat': did you mean '--format'?",
                "infradiff: unknown option '--onyl'",
                "infradiff: --min-severity: 'urgent' is not one of low, medium, high, critical (see 'infradiff diff --help')",
            ],
            result.StandardError.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("onyl", "only", 1)]
    [InlineData("fromat", "format", 1)]
    [InlineData("wacth", "watch", 1)]
    [InlineData("diff", "diff", 0)]
    [InlineData("snapshot", "history", 7)]
    public void Distance_counts_a_swap_of_neighbours_as_one_edit(string typed, string real, int distance) =>
        Assert.Equal(distance, Commands.ParseErrors.Distance(typed, real));

    [Fact]
    public async Task Color_always_paints_the_report_never_and_redirection_do_not()
    {
        var before = Write("before.json", """{"users":{"accounts":{"alice":{"shell":"/bin/bash"}}}}""");
        var after = Write("after.json", """{"users":{"accounts":{"alice":{"shell":"/bin/zsh"}}}}""");

        var always = await CliRunner.RunAsync("diff", before, after, "--color", "always");
        var never = await CliRunner.RunAsync("diff", before, after, "--color", "never");
        var auto = await CliRunner.RunAsync("diff", before, after);

        Assert.Contains("\u001b[", always.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", never.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(never.StandardOutput, auto.StandardOutput);
        Assert.Equal(1, always.ExitCode);
    }

    [Fact]
    public async Task Quiet_leaves_only_errors_on_stderr_and_the_exit_code()
    {
        var loud = await CliRunner.RunAsync("snapshot", "--only", "docker", "--docker-host", "tcp://127.0.0.1:1");
        var quiet = await CliRunner.RunAsync("snapshot", "--only", "docker", "--docker-host", "tcp://127.0.0.1:1", "--quiet");
        var both = await CliRunner.RunAsync("snapshot", "--quiet", "--verbose");

        Assert.Equal((3, 3), (loud.ExitCode, quiet.ExitCode));
        Assert.Contains("warning: collector docker failed", loud.StandardError, StringComparison.Ordinal);
        Assert.Equal("", quiet.StandardError);
        Assert.Equal((2, "infradiff: --quiet and --verbose cannot be used together"), (both.ExitCode, both.StandardError.TrimEnd()));
    }

    [Fact]
    public async Task The_completion_function_in_the_readme_completes_commands_options_and_values()
    {
        // The bash function the README gives, with infradiff standing for this build.
        var script = $$"""
            infradiff() { dotnet '{{Path.Join(AppContext.BaseDirectory, "infradiff.dll")}}' "$@"; }
            _infradiff() { local IFS=$'\n'; COMPREPLY=($(infradiff "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)); }
            complete() { :; }
            for line in "infradiff wat" "infradiff snapshot --on" "infradiff diff a b --format json-"; do
              COMP_LINE="$line"; COMP_POINT=${#line}; _infradiff; echo "${COMPREPLY[*]}"
            done
            """;

        var (exit, output) = await CliRunner.RunToolAsync("bash", "-c", script);

        Assert.Equal(0, exit);
        Assert.Equal(["watch", "--only", "json-patch"], output.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("snapshot")]
    [InlineData("diff")]
    [InlineData("check")]
    [InlineData("watch")]
    [InlineData("alert")]
    [InlineData("verify")]
    [InlineData("history")]
    [InlineData("report")]
    public async Task Each_commands_help_ends_its_description_with_examples_of_itself(string command)
    {
        var help = await CliRunner.RunAsync(command, "--help");

        var examples = help.StandardOutput[help.StandardOutput.IndexOf("Examples:\n", StringComparison.Ordinal)..help.StandardOutput.IndexOf("Usage:", StringComparison.Ordinal)];
        Assert.All(examples.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), line => Assert.StartsWith($"    infradiff {command} ", line, StringComparison.Ordinal));
    }

    private string Write(string name, string sections)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, $$$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},{{{sections[1..^1]}}}}""");
        return path;
    }
}
