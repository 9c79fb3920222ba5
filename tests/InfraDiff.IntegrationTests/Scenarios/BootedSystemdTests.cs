using System.Diagnostics;
using System.Text.Json;

namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// The Debian root booted with systemd as its PID 1 (systemd-nspawn -b, no host systemd needed), the tool and the
/// .NET runtime bound in read-only, commands run inside with nsenter: the services collector's runtime part against
/// a real running systemd, which no other test machine has.
/// </summary>
[Collection(DebianRootCollection.Name)]
public sealed class BootedSystemdTests(DebianRoot debian) : IAsyncLifetime
{
    private const string InfradiffDll = "/opt/infradiff/infradiff.dll";
    private Process? nspawn;
    private string root = "";
    private int leader;

    public async Task InitializeAsync()
    {
        root = await debian.CopyAsync($"booted-{Guid.NewGuid():N}");
        File.WriteAllText(Path.Join(root, "etc/systemd/system/infradiff-demo.service"), "[Unit]\nDescription=a unit the tests stop\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n");
        File.WriteAllText(Path.Join(root, "etc/systemd/system/infradiff-fails.service"), "[Unit]\nDescription=a unit that fails once /root/break exists\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh -c 'test ! -e /root/break'\n[Install]\nWantedBy=multi-user.target\n");
        foreach (var unit in new[] { "infradiff-demo.service", "infradiff-fails.service" })
        {
            File.CreateSymbolicLink(Path.Join(root, "etc/systemd/system/multi-user.target.wants", unit), $"/etc/systemd/system/{unit}");
        }

        // Vendor units (masking needs the unit file outside /etc): one static that the test starts, two it masks and enables.
        File.WriteAllText(Path.Join(root, "usr/lib/systemd/system/infradiff-idle.service"), "[Unit]\nDescription=a static unit the tests start\n[Service]\nExecStart=/bin/sleep infinity\n");
        foreach (var unit in new[] { "infradiff-masked.service", "infradiff-enabled.service" })
        {
            File.WriteAllText(Path.Join(root, "usr/lib/systemd/system", unit), "[Unit]\nDescription=a unit the tests mask or enable\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n");
        }

        Directory.CreateDirectory(Path.Join(root, "root/fake"));
        File.WriteAllText(Path.Join(root, "root/fake/systemctl"), "#!/bin/sh\necho 'Failed to connect to bus: boom' >&2\nexit 1\n");
        File.SetUnixFileMode(Path.Join(root, "root/fake/systemctl"), (UnixFileMode)Convert.ToInt32("755", 8));

        var start = new ProcessStartInfo("systemd-nspawn") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[]
        {
            "-D", root, "-b", "--register=no", "--keep-unit", "-q", "--console=passive",
            $"--bind-ro={Path.GetDirectoryName(Dotnet())}:/opt/dotnet", $"--bind-ro={Path.GetDirectoryName(Infradiff.Executable)}:/opt/infradiff",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The shipped unit, its ExecStart pointed at the bound tool and made quick (a 5 s interval over /etc); the rest as shipped.
        var shipped = (await File.ReadAllTextAsync(Path.Join(RepositoryRoot(), "deploy/systemd/infradiff.service")))
            .Replace("ExecStart=/usr/local/bin/infradiff watch", $"ExecStart=/opt/dotnet/dotnet {InfradiffDll} watch --interval 5s --only services,users,files --files /etc", StringComparison.Ordinal);
        Assert.Contains("/opt/dotnet/dotnet", shipped, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Join(root, "etc/systemd/system/infradiff.service"), shipped);

        nspawn = Process.Start(start)!;
        _ = nspawn.StandardOutput.ReadToEndAsync();
        _ = nspawn.StandardError.ReadToEndAsync();
        try
        {
            // nspawn forks a helper before the container's init: the leader is the child that is systemd.
            await IntegrationTests.Tool.WaitForAsync(() => (leader = Leader()) > 0, "systemd-nspawn to start the container's systemd", seconds: 120);

            // Booted when systemctl says running (or degraded: a unit of the minimal root that fails is the root's, not ours).
            var deadline = DateTime.UtcNow.AddSeconds(180);
            string state;
            while ((state = (await InsideAsync("systemctl", "is-system-running")).Output.Trim()) is not ("running" or "degraded"))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the container did not finish booting: systemctl is-system-running says '{state}'");
                await Task.Delay(250);
            }
        }
        catch
        {
            // xUnit does not dispose what failed to initialize: the container is powered off here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (nspawn is { HasExited: false })
        {
            // SIGTERM (Process.Kill would send SIGKILL, which leaves the container's init running, orphaned): nspawn
            // asks the container's systemd to power off, and exits when it has.
            await IntegrationTests.Tool.RunAsync("kill", ["-TERM", nspawn.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await nspawn.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Killing a PID namespace's init ends everything in it.
                await IntegrationTests.Tool.RunAsync("kill", ["-KILL", leader.ToString(System.Globalization.CultureInfo.InvariantCulture), nspawn.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await nspawn.WaitForExitAsync();
            }
        }

        nspawn?.Dispose();
        await DebianRoot.TryRunAsync("rm", "-rf", root);
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Join(directory, "InfraDiff.sln")))
        {
            directory = Path.GetDirectoryName(directory.TrimEnd('/')) ?? throw new InvalidOperationException("no InfraDiff.sln above the test binaries");
        }

        return directory;
    }

    /// <summary>The dotnet host this test process runs on, bound into the container at /opt/dotnet.</summary>
    private static string Dotnet() => Path.GetFullPath(Path.Join(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet"));

    /// <summary>The container's init: the child of nspawn that runs systemd (0 until there is one).</summary>
    private int Leader()
    {
        var children = $"/proc/{nspawn!.Id}/task/{nspawn.Id}/children";
        try
        {
            return File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault(p => File.ReadAllText($"/proc/{p}/comm").Trim() == "systemd");
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private Task<Tool.Result> InsideAsync(params string[] command) =>
        IntegrationTests.Tool.RunAsync("nsenter", ["-t", leader.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "--", .. command], environment: new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });

    private Task<Tool.Result> InfradiffInsideAsync(params string[] arguments) =>
        InsideAsync(["env", "XDG_CACHE_HOME=/root/.cache", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "/opt/dotnet/dotnet", InfradiffDll, .. arguments]);

    private async Task<JsonElement> ServicesAsync(string name)
    {
        var result = await InfradiffInsideAsync("snapshot", "--only", "services", "-o", $"/root/{name}.json");
        Assert.True(result.ExitCode == 0, result.Output);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(root, "root", $"{name}.json")));
        Assert.False(document.RootElement.GetProperty("metadata").GetProperty("collectors").GetProperty("services").TryGetProperty("unavailable", out _));
        return document.RootElement.GetProperty("services").Clone();
    }

    [Fact]
    public async Task Runtime_states_are_what_systemctl_list_units_says_inside()
    {
        var services = await ServicesAsync("states");
        var listed = (await InsideAsync("systemctl", "list-units", "--all", "--no-pager", "--no-legend", "--plain", "--full")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[0], f => $"{f[1]}/{f[2]}/{f[3]}", StringComparer.Ordinal);

        var withState = services.EnumerateObject().Where(u => u.Value.TryGetProperty("active", out _)).ToList();
        Assert.True(withState.Count >= 20, $"only {withState.Count} units with a runtime state");
        Assert.All(withState, unit => Assert.Equal(
            listed.GetValueOrDefault(unit.Name),
            $"{unit.Value.GetProperty("load").GetString()}/{unit.Value.GetProperty("active").GetString()}/{unit.Value.GetProperty("sub").GetString()}"));
        Assert.Equal("active", services.GetProperty("infradiff-demo.service").GetProperty("active").GetString());
    }

    [Fact]
    public async Task A_stopped_unit_and_a_failed_one_are_one_line_each_and_two_patch_changes_each()
    {
        await ServicesAsync("before");
        Assert.Equal(0, (await InsideAsync("systemctl", "stop", "infradiff-demo.service")).ExitCode);
        await File.WriteAllTextAsync(Path.Join(root, "root", "break"), "");
        Assert.NotEqual(0, (await InsideAsync("systemctl", "restart", "infradiff-fails.service")).ExitCode);
        await ServicesAsync("after");

        var text = await InfradiffInsideAsync("diff", "/root/before.json", "/root/after.json");
        var patch = await InfradiffInsideAsync("diff", "/root/before.json", "/root/after.json", "--format", "json-patch");

        Assert.Equal(1, text.ExitCode);
        var lines = text.StandardOutput.Split('\n');
        Assert.Single(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\[medium\] [0-9a-f]{10} unit infradiff-demo\.service stopped \(active/running → inactive/dead\)"));
        Assert.Single(lines, l => l.Contains("unit infradiff-fails.service failed (active/exited → failed/failed)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(": sub ", StringComparison.Ordinal));
        using var operations = JsonDocument.Parse(patch.StandardOutput);
        Assert.Equal(
            ["/services/infradiff-demo.service/active", "/services/infradiff-demo.service/sub", "/services/infradiff-fails.service/active", "/services/infradiff-fails.service/sub"],
            operations.RootElement.EnumerateArray().Where(o => o.GetProperty("op").GetString() == "replace").Select(o => o.GetProperty("path").GetString()).Where(p => p!.Contains("infradiff-", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A unit started, one masked and one enabled through systemctl: each one line with its severity (a unit systemd
    /// loads is one event, not three added states), and each unit file's state what systemctl is-enabled says.
    /// </summary>
    [Fact]
    public async Task A_unit_started_masked_or_enabled_is_one_change_each_and_unit_file_states_are_systemctls()
    {
        var before = await ServicesAsync("before");
        Assert.Equal(("static", "disabled", "disabled"), (UnitFile(before, "infradiff-idle.service"), UnitFile(before, "infradiff-masked.service"), UnitFile(before, "infradiff-enabled.service")));
        Assert.Equal(0, (await InsideAsync("systemctl", "start", "infradiff-idle.service")).ExitCode);
        Assert.Equal(0, (await InsideAsync("systemctl", "mask", "infradiff-masked.service")).ExitCode);
        Assert.Equal(0, (await InsideAsync("systemctl", "enable", "infradiff-enabled.service")).ExitCode);
        var after = await ServicesAsync("after");

        var text = await InfradiffInsideAsync("diff", "/root/before.json", "/root/after.json");

        Assert.Equal(1, text.ExitCode);
        foreach (var unit in new[] { "infradiff-idle.service", "infradiff-masked.service", "infradiff-enabled.service", "infradiff-demo.service", "ssh.service" })
        {
            var enabled = (await InsideAsync("systemctl", "is-enabled", unit)).StandardOutput.Trim();
            Assert.Equal(enabled, UnitFile(after, unit));
        }

        var lines = text.StandardOutput.Split('\n');
        foreach (var expected in new[]
        {
            // Not loaded until started: its states come all at once, one line.
            @"\[medium\] [0-9a-f]{10} unit infradiff-idle\.service started \(not loaded → loaded/active/running\)$",
            // The daemon-reload of an enable loads the unit, stopped.
            @"\[medium\] [0-9a-f]{10} unit infradiff-enabled\.service loaded \(not loaded → loaded/inactive/dead\)$",
            @"\[medium\] [0-9a-f]{10} unit infradiff-masked\.service: unitFile disabled → masked$",
            // In its section (the report's head repeats the high ones, with their section's name).
            @"\[high\] [0-9a-f]{10} unit infradiff-enabled\.service: unitFile disabled → enabled$",
        })
        {
            Assert.True(lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, expected)) == 1, $"{expected} is not one line of:\n{text.StandardOutput}");
        }

        static string? UnitFile(JsonElement services, string unit) =>
            services.TryGetProperty(unit, out var entry) && entry.TryGetProperty("unitFile", out var state) ? state.GetString() : null;
    }

    [Fact]
    public async Task A_systemctl_that_fails_under_a_running_systemd_fails_the_part()
    {
        var result = await InsideAsync("env", "PATH=/root/fake:/usr/sbin:/usr/bin:/sbin:/bin", "XDG_CACHE_HOME=/root/.cache", "/opt/dotnet/dotnet", InfradiffDll, "snapshot", "--only", "services", "-o", "/root/faulty.json");

        Assert.Equal(3, result.ExitCode);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(root, "root", "faulty.json")));
        var services = document.RootElement.GetProperty("metadata").GetProperty("collectors").GetProperty("services");
        Assert.Equal("systemctl list-units exited with code 1: Failed to connect to bus: boom", services.GetProperty("failed").GetProperty("runtime").GetString());
        Assert.False(services.TryGetProperty("unavailable", out _));
    }

    /// <summary>
    /// A watcher that hangs (SIGSTOP: every thread frozen, the watchdog pings too) is killed by systemd's watchdog and
    /// started again by Restart=on-failure, ready again, its store intact. The shipped unit with its times shortened
    /// by a drop-in (WatchdogSec 2 min, RestartSec 30 s as shipped).
    /// </summary>
    [Fact]
    public async Task The_watchdog_restarts_a_watcher_that_hangs_and_its_store_stays_intact()
    {
        Directory.CreateDirectory(Path.Join(root, "etc/systemd/system/infradiff.service.d"));
        await File.WriteAllTextAsync(Path.Join(root, "etc/systemd/system/infradiff.service.d/quick.conf"), "[Service]\nWatchdogSec=3s\nRestartSec=1s\nTimeoutStopSec=15s\n");
        Assert.Equal(0, (await InsideAsync("systemctl", "daemon-reload")).ExitCode);
        var started = await InsideAsync("systemctl", "start", "infradiff.service");
        Assert.True(started.ExitCode == 0, started.Output + await JournalAsync());
        var first = await ShowAsync("MainPID");

        // Hung: no cycle, no watchdog ping.
        Assert.Equal(0, (await InsideAsync("kill", "-STOP", first)).ExitCode);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await ShowAsync("NRestarts") == "1" && await ShowAsync("ActiveState") == "active" && await ShowAsync("SubState") == "running"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not restarted and running again within 90 s: {await ShowAsync("NRestarts")} restarts, {await ShowAsync("ActiveState")}/{await ShowAsync("SubState")}\n{await JournalAsync()}");
            await Task.Delay(250);
        }

        Assert.NotEqual(first, await ShowAsync("MainPID"));
        var journal = (await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager")).StandardOutput;
        Assert.Contains("Watchdog timeout", journal, StringComparison.Ordinal);

        Assert.Equal(0, (await InsideAsync("systemctl", "stop", "infradiff.service")).ExitCode);
        var verify = await InsideAsync("env", "XDG_CACHE_HOME=/var/cache", "/opt/dotnet/dotnet", InfradiffDll, "verify", "--dir", "/var/lib/infradiff");
        Assert.True(verify.ExitCode == 0, verify.Output);

        async Task<string> ShowAsync(string property) =>
            (await InsideAsync("systemctl", "show", "-p", property, "--value", "infradiff.service")).StandardOutput.Trim();
    }

    /// <summary>
    /// The shipped check timer and service (ExecStart pointed at the bound tool; a drop-in makes the timer fire a second
    /// after it starts): against a baseline made as the unit's comment says, a quiet host's run succeeds with "no drift"
    /// in the journal; after a user is added, the next run fails the unit (exit 1), which `systemctl --failed` shows.
    /// The os section too: the unit's sandbox is a mount namespace of its own (the host's mounts are read from init's)
    /// and denies a sysctl (net.core.bpf_jit_harden needs CAP_SYS_ADMIN: unavailable on its own, not compared). Not
    /// services: a shell's baseline does not hold the check unit itself running.
    /// </summary>
    [Fact]
    public async Task The_check_timer_runs_the_shipped_check_which_fails_the_unit_on_drift()
    {
        foreach (var name in new[] { "infradiff-check.service", "infradiff-check.timer" })
        {
            var text = (await File.ReadAllTextAsync(Path.Join(RepositoryRoot(), "deploy/systemd", name)))
                .Replace("ExecStart=/usr/local/bin/infradiff check", $"ExecStart=/opt/dotnet/dotnet {InfradiffDll} check --only users,os", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Join(root, "etc/systemd/system", name), text);
        }

        Assert.Contains(InfradiffDll, await File.ReadAllTextAsync(Path.Join(root, "etc/systemd/system/infradiff-check.service")), StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Join(root, "etc/systemd/system/infradiff-check.timer.d"));
        await File.WriteAllTextAsync(Path.Join(root, "etc/systemd/system/infradiff-check.timer.d/soon.conf"), "[Timer]\nOnCalendar=\nOnActiveSec=1s\nRandomizedDelaySec=0\nAccuracySec=1ms\n");
        Assert.Equal(0, (await InsideAsync("systemctl", "daemon-reload")).ExitCode);
        Assert.Equal(0, (await InsideAsync("install", "-d", "-m", "0700", "/var/lib/infradiff-check")).ExitCode);
        var baseline = await InsideAsync("env", "XDG_CACHE_HOME=/var/cache", "/opt/dotnet/dotnet", InfradiffDll, "check", "--only", "users,os", "--baseline", "/var/lib/infradiff-check/baseline.json", "--update-baseline");
        Assert.True(baseline.ExitCode == 0, baseline.Output);

        var quiet = await RunByTimerAsync("0");
        Assert.True(quiet.Result == "success", quiet.Journal);
        Assert.Contains("## infradiff: no drift", quiet.Journal, StringComparison.Ordinal);

        await File.AppendAllTextAsync(Path.Join(root, "etc/passwd"), "mallory:x:0:0::/root:/bin/sh\n");
        var drifted = await RunByTimerAsync(quiet.Started);
        Assert.True(drifted.Result == "exit-code", drifted.Journal);
        Assert.Contains("user mallory added", drifted.Journal, StringComparison.Ordinal);
        Assert.Contains("infradiff-check.service", (await InsideAsync("systemctl", "--failed", "--no-legend", "--plain")).StandardOutput, StringComparison.Ordinal);

        // Starts the timer (again) and waits for the run it fires to end: its result, start time and journal.
        async Task<(string Result, string Started, string Journal)> RunByTimerAsync(string previous)
        {
            Assert.Equal(0, (await InsideAsync("systemctl", "restart", "infradiff-check.timer")).ExitCode);
            var deadline = DateTime.UtcNow.AddSeconds(240);
            while (true)
            {
                var shown = (await InsideAsync("systemctl", "show", "-p", "ExecMainStartTimestampMonotonic,ExecMainExitTimestampMonotonic,Result,ActiveState", "infradiff-check.service")).StandardOutput
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
                var started = shown["ExecMainStartTimestampMonotonic"];
                if (started != previous && started != "0" && shown["ActiveState"] is "inactive" or "failed" && long.Parse(shown["ExecMainExitTimestampMonotonic"], System.Globalization.CultureInfo.InvariantCulture) > long.Parse(started, System.Globalization.CultureInfo.InvariantCulture))
                {
                    return (shown["Result"], started, (await InsideAsync("journalctl", "-u", "infradiff-check.service", "--no-pager", "-o", "cat")).Output);
                }

                Assert.True(DateTime.UtcNow < deadline, $"the timer's run did not end within 240 s: {string.Join(", ", shown)}");
                await Task.Delay(500);
            }
        }
    }

    private async Task<string> JournalAsync() => (await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager", "-o", "cat")).Output;

    [Fact]
    public async Task The_shipped_unit_is_ready_when_active_logs_a_json_line_per_cycle_with_every_collector_working_and_stops_cleanly()
    {
        // Type=notify: start returns once the watcher said READY=1.
        var started = await InsideAsync("systemctl", "start", "infradiff.service");
        Assert.True(started.ExitCode == 0, started.Output + (await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager", "-o", "cat")).Output);
        var state = (await InsideAsync("systemctl", "show", "-p", "ActiveState,SubState", "infradiff.service")).StandardOutput.Trim().Replace('\n', ' ');
        Assert.True(state == "ActiveState=active SubState=running", $"{state}: {(await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager", "-o", "cat")).Output}");

        // Two cycles, each one JSON log line with its event id (the alerts go to stdout too, as JSON of their own); the
        // sandbox leaves no collector or part failed.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        List<JsonElement> cycles;
        while ((cycles = [.. (await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager", "-o", "cat")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.TryGetProperty("EventId", out var id) && id.GetInt32() == 2001)]).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "fewer than two cycle lines in the journal within 90 s");
            await Task.Delay(500);
        }

        Assert.Contains(cycles, c => c.GetProperty("Message").GetString()!.StartsWith("full cycle done in ", StringComparison.Ordinal));
        var journal = (await InsideAsync("journalctl", "-u", "infradiff.service", "--no-pager", "-o", "cat")).StandardOutput;
        Assert.DoesNotContain("\"EventId\":1003", journal, StringComparison.Ordinal);
        Assert.DoesNotContain("\"EventId\":1001", journal, StringComparison.Ordinal);

        // SIGTERM: the current write finishes, the unit stops well within TimeoutStopSec, and the store verifies.
        var stopping = Stopwatch.StartNew();
        Assert.Equal(0, (await InsideAsync("systemctl", "stop", "infradiff.service")).ExitCode);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(60), $"stop took {stopping.Elapsed.TotalSeconds:0} s");
        Assert.Equal("Result=success", (await InsideAsync("systemctl", "show", "-p", "Result", "infradiff.service")).StandardOutput.Trim());
        var verify = await InsideAsync("env", "XDG_CACHE_HOME=/var/cache", "/opt/dotnet/dotnet", InfradiffDll, "verify", "--dir", "/var/lib/infradiff");
        Assert.True(verify.ExitCode == 0, verify.Output);
    }
}
