using System.Text.Json;

namespace InfraDiff.Cli.Tests;

public sealed class SnapshotCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Snapshot_writes_json_with_every_section_to_stdout_and_exits_0()
    {
        // /etc alone: the default roots hold gigabytes of toolchains on a build machine.
        var result = await CliRunner.RunAsync("snapshot", "--files", "/etc");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        foreach (var section in new[] { "os", "packages", "services", "users", "scheduled", "config", "network", "files" })
        {
            Assert.True(root.TryGetProperty(section, out _), $"no {section} section");
        }
    }

    [Fact]
    public async Task Snapshot_to_a_file_writes_it_owner_only_and_prints_nothing()
    {
        var path = Path.Join(Directory.CreateDirectory(Path.Join(directory, "out")).FullName, "host.json");

        var result = await CliRunner.RunAsync("snapshot", "--only", "os,users", "-o", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(["schemaVersion", "metadata", "os", "users"], document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task On_a_terminal_without_output_the_snapshot_goes_to_a_file_and_a_summary_is_printed()
    {
        // script(1) gives infradiff a pseudo-terminal, as a new user's first command has.
        var (exitCode, output) = await CliRunner.RunToolAsync(
            "script", "-qec", $"cd {directory} && dotnet {Path.Join(AppContext.BaseDirectory, "infradiff.dll")} snapshot --only os,users,files --files /etc/ssh", "/dev/null");

        Assert.True(exitCode == 0, output);
        var file = Assert.Single(Directory.GetFiles(directory, "infradiff-snapshot-*.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.InRange(lines.Length, 4, 20);
        Assert.Contains(lines, l => l.Contains($"Wrote {Path.GetFileName(file)} (", StringComparison.Ordinal) && l.Contains("mode 0600", StringComparison.Ordinal));
        var files = document.RootElement.GetProperty("files").EnumerateObject().Count();
        Assert.Contains(lines, l => l.StartsWith("files", StringComparison.Ordinal) && l.EndsWith($"{files:N0} entries", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("users", StringComparison.Ordinal) && l.Contains("accounts ", StringComparison.Ordinal));
        Assert.Contains($"infradiff check --baseline {Path.GetFileName(file)}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"schemaVersion\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_dash_o_dash_still_asks_for_the_json()
    {
        var (exitCode, output) = await CliRunner.RunToolAsync(
            "script", "-qec", $"cd {directory} && dotnet {Path.Join(AppContext.BaseDirectory, "infradiff.dll")} snapshot --only os -o -", "/dev/null");

        Assert.True(exitCode == 0, output);
        Assert.Contains("\"schemaVersion\": 1", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(directory, "infradiff-snapshot-*.json"));
    }

    [Fact]
    public async Task Output_onto_a_symlink_is_refused_in_one_line_and_neither_link_nor_target_changes()
    {
        var target = Path.Join(directory, "real.json");
        var link = Path.Join(directory, "link.json");
        File.WriteAllText(target, "kept");
        File.CreateSymbolicLink(link, target);

        var result = await CliRunner.RunAsync("snapshot", "--only", "os", "-o", link);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {link}: a symlink (to {target}): not replaced; give the path of the file itself\n", result.StandardError);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("kept", File.ReadAllText(target));
    }

    [Fact]
    public async Task An_unknown_section_is_one_line_on_stderr_and_exit_2()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "nonsense");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("infradiff: --only: unknown section 'nonsense' (known: config, docker, files, network, os, packages, scheduled, services, users)", result.StandardError.TrimEnd());
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
        Assert.StartsWith(InfraDiff.Pipeline.Snapshotter.ToolVersion.Split(' ')[1], version.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.StandardOutput);
        Assert.Contains("--only", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--root", help.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_files_path_is_one_line_naming_it_and_exit_2()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "files", "--files", "etc");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: --files etc: not an absolute path; give the path as the host sees it, e.g. /etc", result.StandardError.TrimEnd());
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task A_files_path_missing_under_the_root_is_named_as_seen_under_the_root()
    {
        Directory.CreateDirectory(Path.Join(directory, "image", "etc"));

        var result = await CliRunner.RunAsync("snapshot", "--only", "files", "--root", Path.Join(directory, "image"), "--files", directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"infradiff: --files {directory}: no such file or directory under --root {Path.Join(directory, "image")} (looked for {Path.Join(directory, "image") + directory})",
            result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_files_path_that_exists_under_the_root_is_scanned_there()
    {
        File.WriteAllText(Path.Join(Directory.CreateDirectory(Path.Join(directory, "image", "etc")).FullName, ".hidden"), "x");

        var result = await CliRunner.RunAsync("snapshot", "--only", "files", "--root", Path.Join(directory, "image"), "--files", "/etc");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.True(document.RootElement.GetProperty("files").TryGetProperty("/etc/.hidden", out _), "a dot-named file is recorded");
    }

    [Fact]
    public async Task A_timed_out_collector_is_one_warning_naming_it_the_reason_and_the_flag_and_exit_3()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "files", "--files", "/usr", "--files-timeout", "1ms", "--no-cache");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            "infradiff: warning: collector files timed out: did not finish within 0.001 s (raise or remove the limit with --files-timeout)",
            result.StandardError.TrimEnd());
    }

    [Fact]
    public async Task A_failed_collector_is_one_warning_with_its_reason_and_exit_3()
    {
        var result = await CliRunner.RunAsync("snapshot", "--only", "docker", "--docker-host", "tcp://127.0.0.1:1");

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.StandardError.TrimEnd().Split('\n'));
        Assert.StartsWith("infradiff: warning: collector docker failed: ", line, StringComparison.Ordinal);
        Assert.EndsWith("(--verbose shows why; --exclude docker leaves it out)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_kernel_under_a_root_is_refused_outside_a_container_on_the_hosts_namespaces()
    {
        var root = Directory.CreateTempSubdirectory("infradiff-hostkernel-").FullName;
        try
        {
            var result = await CliRunner.RunAsync("snapshot", "--only", "os", "--root", root, "--host-kernel");

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("infradiff: --host-kernel: needs the host's PID namespace (docker run --pid host): PID 1 here is not the host's init", result.StandardError.TrimEnd());
        }
        finally
        {
            Directory.Delete(root);
        }
    }
}
