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

    /// <summary>
    /// A fleet store as 'fleet check' leaves it (STORE/HOST/baseline.json and latest.json), without ssh: openssl
    /// 3.0.11 → 3.0.13 on web01 and web02 (one id, b3f8fabe6a), alice's shell on web02 (c11fb88cb8), web03 clean.
    /// </summary>
    private async Task<(string Inventory, string Store)> DriftedFleetAsync()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        var store = Path.Join(directory, "store");
        await File.WriteAllTextAsync(inventory, "[web]\nweb01\nweb02\nweb03\n");
        foreach (var (host, shell, openssl) in new[] { ("web01", "bash", "3.0.13"), ("web02", "zsh", "3.0.13"), ("web03", "bash", "3.0.11") })
        {
            Directory.CreateDirectory(Path.Join(store, host));
            await File.WriteAllTextAsync(Path.Join(store, host, "baseline.json"), Snapshot(host, "bash", "3.0.11"));
            await File.WriteAllTextAsync(Path.Join(store, host, "latest.json"), Snapshot(host, shell, openssl));
        }

        return (inventory, store);

        static string Snapshot(string host, string shell, string openssl) =>
            $$"""
            {"schemaVersion":1,"metadata":{"host":"{{host}}","takenAt":"2026-12-07T10:00:00Z","tool":"t","collectors":{} },
             "users":{"accounts":{"alice":{"shell":"/bin/{{shell}}","uid":1000} } },"packages":{"openssl":{"version":"{{openssl}}"} } }
            """;
    }

    /// <summary>The ids of what a host's latest snapshot holds that its baseline does not, as 'diff' reports them.</summary>
    private static async Task<IReadOnlyList<string>> DriftIdsAsync(string store, string host)
    {
        var diff = await CliRunner.RunAsync("diff", Path.Join(store, host, "baseline.json"), Path.Join(store, host, "latest.json"), "--format", "json");
        Assert.True(diff.ExitCode is 0 or 1, diff.StandardError);
        using var report = System.Text.Json.JsonDocument.Parse(diff.StandardOutput);
        return [.. report.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Accept_moves_one_shared_change_into_the_baseline_of_each_host_that_has_it_and_nothing_else()
    {
        var (inventory, store) = await DriftedFleetAsync();
        var untouched = await File.ReadAllBytesAsync(Path.Join(store, "web03", "baseline.json"));

        var result = await CliRunner.RunAsync("fleet", "accept", "b3f8fabe6a", "-i", inventory, "--store", store, "--reason", "CHG-7: openssl security update", "--by", "alice");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(
            string.Concat(new[] { "web01", "web02" }.Select(h => $"accepted b3f8fabe6a [medium] package openssl: 3.0.11 → 3.0.13 into the baseline of {Path.Join(store, h, "baseline.json")}, by alice\n")),
            result.StandardOutput);
        Assert.Empty(await DriftIdsAsync(store, "web01"));
        Assert.Equal(["c11fb88cb8"], await DriftIdsAsync(store, "web02"));
        Assert.Equal(untouched, await File.ReadAllBytesAsync(Path.Join(store, "web03", "baseline.json")));
        using var baseline = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(store, "web02", "baseline.json")));
        var record = Assert.Single(baseline.RootElement.GetProperty("metadata").GetProperty("acceptances").EnumerateArray());
        Assert.Equal(("b3f8fabe6a", "alice", "CHG-7: openssl security update"), (record.GetProperty("id").GetString(), record.GetProperty("by").GetString(), record.GetProperty("reason").GetString()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(store, "web02", "baseline.json")));
    }

    [Theory]
    [InlineData("web", "0123456789", "0123456789: no change with this id on any selected host since its baseline ('infradiff fleet check' lists the ids); nothing accepted")]
    [InlineData("web01:web03", "c11fb88cb8", "c11fb88cb8: no change with this id on any selected host since its baseline ('infradiff fleet check' lists the ids); nothing accepted")]
    [InlineData("web03", null, "nothing to accept: no selected host drifted from its baseline")]
    public async Task Accept_refuses_an_id_no_selected_host_has_and_moves_no_baseline(string limit, string? unknown, string message)
    {
        var (inventory, store) = await DriftedFleetAsync();
        var before = new[] { "web01", "web02", "web03" }.ToDictionary(h => h, h => File.ReadAllBytes(Path.Join(store, h, "baseline.json")));
        string[] ids = unknown is null ? ["--all"] : ["b3f8fabe6a", unknown];

        var result = await CliRunner.RunAsync(["fleet", "accept", .. ids, "-i", inventory, "--store", store, "--limit", limit, "--reason", "r"]);

        Assert.Equal((2, $"infradiff: {message}\n", ""), (result.ExitCode, result.StandardError, result.StandardOutput));
        Assert.All(before, b => Assert.Equal(b.Value, File.ReadAllBytes(Path.Join(store, b.Key, "baseline.json"))));
    }

    /// <summary>A fleet check or watch holds the store while its baselines may move: an acceptance beside it is refused, naming the holder.</summary>
    [Fact]
    public async Task Accept_is_refused_while_a_fleet_run_holds_the_store()
    {
        var (inventory, store) = await DriftedFleetAsync();
        var before = await File.ReadAllBytesAsync(Path.Join(store, "web01", "baseline.json"));
        using var held = new InfraDiff.Monitoring.SnapshotStore(store).Lock();

        var result = await CliRunner.RunAsync("fleet", "accept", "b3f8fabe6a", "-i", inventory, "--store", store, "--reason", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"infradiff: {store} is in use by another infradiff run (pid {Environment.ProcessId}): one watch, fleet run or fleet acceptance holds a store at a time; give each watcher a store directory of its own\n", result.StandardError);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Join(store, "web01", "baseline.json")));
    }

    [Fact]
    public async Task Accept_without_a_store_says_how_to_make_one()
    {
        var inventory = Path.Join(directory, "hosts.ini");
        await File.WriteAllTextAsync(inventory, "web01\n");

        var result = await CliRunner.RunAsync("fleet", "accept", "--all", "-i", inventory, "--store", Path.Join(directory, "none"), "--reason", "day one");

        Assert.Equal((2, $"infradiff: {Path.Join(directory, "none")}: no fleet store here ('infradiff fleet check' makes one; --store names another)\n"), (result.ExitCode, result.StandardError));
        Assert.False(Directory.Exists(Path.Join(directory, "none")));
    }
}
