namespace InfraDiff.Cli.Tests;

/// <summary>The fleet commands' front door: bad input is one line and exit 2 before any host is touched; a host that cannot be served is a reason.</summary>
public sealed class FleetCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-fleet-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_missing_inventory_is_one_line_and_exit_2()
    {
        var missing = Path.Join(directory, "none.ini");

        var result = await CliRunner.RunAsync("fleet", "check", "-i", missing, "--store", Path.Join(directory, "store"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: inventory {missing}: no such file\n", result.StandardError);
        Assert.False(Directory.Exists(Path.Join(directory, "store")));
    }

    [Fact]
    public async Task A_malformed_inventory_names_its_line()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        await File.WriteAllTextAsync(inventory, "[web]\nweb01 ansible_port=twenty-two\n");

        var result = await CliRunner.RunAsync("fleet", "snapshot", "-i", inventory);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: inventory {inventory}: host web01: ansible_port 'twenty-two' is not a port (1–65535)\n", result.StandardError);
    }

    [Fact]
    public async Task A_limit_that_selects_nothing_touches_no_store()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        await File.WriteAllTextAsync(inventory, "[web]\nweb01\nweb02\n");

        var result = await CliRunner.RunAsync("fleet", "check", "-i", inventory, "--limit", "db*", "--store", Path.Join(directory, "store"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: --limit: 'db*' matches no group or host of {inventory}\n", result.StandardError);
        Assert.False(Directory.Exists(Path.Join(directory, "store")));
    }

    /// <summary>Each hostile inventory is one line and exit 2, promptly, with the process's heap capped at 100 MB by the runtime itself.</summary>
    [Theory]
    [InlineData("deep.yml", "all", "line 1: collections nest more than 64 deep")]
    [InlineData("aliases.yml", "all", "more than 1000000 nodes once its aliases are followed")]
    [InlineData("ranges.ini", "all", "line 3: 'db[1:99999]': the inventory holds more than 100000 hosts")]
    [InlineData("option-name.ini", "all", "line 2: '-oProxyCommand=x' is not a host name")]
    [InlineData("range.ini", "~(a+)+$", "--limit: '~(a+)+$' matches no group or host")]
    public async Task A_hostile_inventory_or_limit_is_one_line_in_bounded_memory(string file, string limit, string problem)
    {
        var inventory = Path.Join(directory, file);
        await File.WriteAllTextAsync(inventory, file switch
        {
            "deep.yml" => new string('[', 100_000),
            "aliases.yml" => "all:\n  vars:\n    a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
                + string.Concat(Enumerable.Range(1, 25).Select(i => $"    a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n")),
            "ranges.ini" => "[web]\nweb[1:99999]\ndb[1:99999]\napp[1:99999]\n",
            "range.ini" => $"[web]\n{new string('a', 40)}-[1:100000]\n",
            _ => "[web]\n-oProxyCommand=x\n",
        });

        var result = await CliRunner.RunInAsync(null, new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x6400000" }, "fleet", "snapshot", "-i", inventory, "--limit", limit, "--store", Path.Join(directory, "store"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("infradiff: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(problem, result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Path.Join(directory, "store")));
    }

    [Theory]
    [InlineData("--forks", "0", "--forks: must be a whole number from 1 to 1000, not '0'")]
    [InlineData("--host-timeout", "0", "--host-timeout: must be a duration such as 300, 30s, 5m or 1h, not '0'")]
    public async Task An_invalid_setting_is_named_by_its_flag(string flag, string value, string message)
    {
        var inventory = Path.Join(directory, "hosts.ini");
        await File.WriteAllTextAsync(inventory, "web01\n");

        var result = await CliRunner.RunAsync("fleet", "snapshot", "-i", inventory, flag, value, "--store", Path.Join(directory, "store"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {message}\n", result.StandardError);
    }

    [Fact]
    public async Task A_host_the_controller_has_no_build_for_fails_with_the_reason_and_the_command_goes_on()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        var tools = Path.Join(directory, "no-tools");
        await File.WriteAllTextAsync(inventory, "here ansible_connection=local\nthere ansible_connection=winrm\n");

        var result = await CliRunner.RunAsync("fleet", "check", "-i", inventory, "--tools", tools, "--store", Path.Join(directory, "store"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"  here: the controller has no linux-x64 build of the tool: put one at {tools}/infradiff-linux-x64 (deploy/fleet/fleet-tools.sh builds them)\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  there: ansible_connection 'winrm' is not supported (ssh or local)\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("fleet: 2 hosts: 2 failed; 0 outliers\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_reads_its_interval_as_every_other_duration_and_refuses_zero()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        await File.WriteAllTextAsync(inventory, "web01\n");

        var result = await CliRunner.RunAsync("fleet", "watch", "-i", inventory, "--interval", "0");
        var minutes = await CliRunner.RunAsync("fleet", "watch", "-i", inventory, "--interval", "5m", "--forks", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("infradiff: --interval: must be a duration such as 300, 30s, 5m or 1h, not '0'\n", result.StandardError);
        // "5m" is read (the run stops at the next setting, not at the interval).
        Assert.Equal((2, "infradiff: --forks: must be a whole number from 1 to 1000, not 'x'\n"), (minutes.ExitCode, minutes.StandardError));
    }
}
