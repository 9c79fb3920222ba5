using System.Text.Json;

namespace InfraDiff.Cli.Tests;

public sealed class SnapshotCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Snapshot_writes_json_with_every_section_to_stdout_and_exits_0()
    {
        var result = await CliRunner.RunAsync("snapshot");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        foreach (var section in new[] { "os", "packages", "services", "users", "scheduled", "network", "files" })
        {
            Assert.True(root.TryGetProperty(section, out _), $"no {section} section");
        }
    }

    [Fact]
    public async Task Snapshot_to_a_file_writes_it_owner_only_and_prints_nothing()
    {
        var path = Path.Join(directory, "out", "host.json");

        var result = await CliRunner.RunAsync("snapshot", "--only", "os,users", "-o", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(["schemaVersion", "metadata", "os", "users"], document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_unknown_section_is_one_line_on_stderr_and_exit_2()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "nonsense");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("infradiff: unknown collector 'nonsense' (known: config, docker, files, network, os, packages, scheduled, services, users)", result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_missing_root_is_one_line_and_a_stack_trace_only_with_verbose()
    {
        var quiet = await CliRunner.RunAsync("snapshot", "--root", "/no/such/dir");
        var verbose = await CliRunner.RunAsync("snapshot", "--root", "/no/such/dir", "--verbose");

        Assert.Equal(2, quiet.ExitCode);
        Assert.Equal("infradiff: --root /no/such/dir: no such directory", quiet.StandardError.TrimEnd());
        Assert.Equal(2, verbose.ExitCode);
        Assert.Contains("   at ", verbose.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_output_leaves_no_file_and_exits_2()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "os", "-o", "/proc/infradiff-cannot-write-here.json");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("infradiff: ", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Version_and_help_answer()
    {
        var version = await CliRunner.RunAsync("--version");
        var help = await CliRunner.RunAsync("snapshot", "--help");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.1.0", version.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--only", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--root", help.StandardOutput, StringComparison.Ordinal);
    }
}
