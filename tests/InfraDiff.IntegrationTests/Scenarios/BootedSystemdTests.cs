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

        nspawn = Process.Start(start)!;
        _ = nspawn.StandardOutput.ReadToEndAsync();
        _ = nspawn.StandardError.ReadToEndAsync();
        await IntegrationTests.Tool.WaitForAsync(() => Leader() is > 0, "systemd-nspawn to start the container's init", seconds: 60);
        leader = Leader();

        // Booted when systemctl says running (or degraded: a unit of the minimal root that fails is the root's, not ours).
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string state;
        while ((state = (await InsideAsync("systemctl", "is-system-running")).StandardOutput.Trim()) is not ("running" or "degraded"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the container did not finish booting: systemctl is-system-running says '{state}'");
            await Task.Delay(250);
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

    /// <summary>The dotnet host this test process runs on, bound into the container at /opt/dotnet.</summary>
    private static string Dotnet() => Path.GetFullPath(Path.Join(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet"));

    /// <summary>The container's init: nspawn's child.</summary>
    private int Leader()
    {
        var children = $"/proc/{nspawn!.Id}/task/{nspawn.Id}/children";
        return File.Exists(children) && File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? int.Parse(first, System.Globalization.CultureInfo.InvariantCulture) : 0;
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
        Assert.Single(lines, l => l.Contains("[medium] unit infradiff-demo.service stopped (active/running → inactive/dead)", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("unit infradiff-fails.service failed (active/exited → failed/failed)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(": sub ", StringComparison.Ordinal));
        using var operations = JsonDocument.Parse(patch.StandardOutput);
        Assert.Equal(
            ["/services/infradiff-demo.service/active", "/services/infradiff-demo.service/sub", "/services/infradiff-fails.service/active", "/services/infradiff-fails.service/sub"],
            operations.RootElement.EnumerateArray().Where(o => o.GetProperty("op").GetString() == "replace").Select(o => o.GetProperty("path").GetString()).Where(p => p!.Contains("infradiff-", StringComparison.Ordinal)));
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
}
