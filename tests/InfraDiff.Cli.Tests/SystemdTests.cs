using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace InfraDiff.Cli.Tests;

/// <summary>
/// The units in deploy/systemd, checked by systemd-analyze verify, and watch started as systemd starts a Type=notify
/// service: NOTIFY_SOCKET pointed at a datagram socket the test reads, WATCHDOG_USEC set.
/// </summary>
public sealed class SystemdTests : IDisposable
{
    private static readonly string Units = Path.Join(
        typeof(SystemdTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryDirectory").Value!, "deploy", "systemd");

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-systemd-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<(int ExitCode, string Output)> VerifyAsync(params string[] units) => CliRunner.RunToolAsync("systemd-analyze", ["verify", .. units]);

    /// <summary>The shipped units, with ExecStart pointing at this build (verify checks the program exists), in a folder of the test's.</summary>
    private string[] CopyUnits(string folder, Func<string, string>? edit = null)
    {
        var target = Directory.CreateDirectory(Path.Join(directory, folder)).FullName;
        var shim = Path.Join(directory, "infradiff");
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet {Path.Join(AppContext.BaseDirectory, "infradiff.dll")} \"$@\"\n");
        File.SetUnixFileMode(shim, (UnixFileMode)Convert.ToInt32("755", 8));
        return [.. Directory.GetFiles(Units).Select(unit =>
        {
            var copy = Path.Join(target, Path.GetFileName(unit));
            File.WriteAllText(copy, (edit ?? (t => t))(File.ReadAllText(unit).Replace("/usr/local/bin/infradiff", shim, StringComparison.Ordinal)));
            return copy;
        })];
    }

    [Fact]
    public async Task The_units_pass_systemd_analyze_verify_without_a_word()
    {
        var units = CopyUnits("shipped");
        var broken = CopyUnits("broken", t => t.Replace("Type=", "Tpye=", StringComparison.Ordinal));

        var (exitCode, output) = await VerifyAsync(units);
        var (_, complaint) = await VerifyAsync(broken.Single(u => u.EndsWith("infradiff.service", StringComparison.Ordinal)));

        Assert.Equal(["infradiff-check.service", "infradiff-check.timer", "infradiff.service"], units.Select(Path.GetFileName).Order());
        Assert.True(exitCode == 0 && output.Length == 0, output);
        Assert.Contains("Unknown key 'Tpye'", complaint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_realtime_drop_in_passes_verify_and_adds_only_CAP_SYS_ADMIN_and_the_flag()
    {
        var service = CopyUnits("realtime").Single(u => u.EndsWith("infradiff.service", StringComparison.Ordinal));
        var dropIns = Directory.CreateDirectory(service + ".d").FullName;
        var shipped = File.ReadAllText(Path.Join(Units, "infradiff.service.d", "realtime.conf"));
        File.WriteAllText(Path.Join(dropIns, "realtime.conf"), shipped.Replace("/usr/local/bin/infradiff", Path.Join(directory, "infradiff"), StringComparison.Ordinal));

        var (exitCode, output) = await VerifyAsync(service);
        File.AppendAllText(Path.Join(dropIns, "realtime.conf"), "Tpye=notify\n");
        var (_, complaint) = await VerifyAsync(service);

        Assert.True(exitCode == 0 && output.Length == 0, output);
        Assert.Contains("realtime.conf:", complaint, StringComparison.Ordinal);
        string Line(string text, string key) => text.Split('\n').Last(l => l.StartsWith(key, StringComparison.Ordinal));
        Assert.Equal(Line(File.ReadAllText(Path.Join(Units, "infradiff.service")), "CapabilityBoundingSet=") + " CAP_SYS_ADMIN", Line(shipped, "CapabilityBoundingSet="));
        Assert.Equal(Line(File.ReadAllText(Path.Join(Units, "infradiff.service")), "ExecStart=").Replace(" watch ", " watch --realtime ", StringComparison.Ordinal), Line(shipped, "ExecStart="));
    }

    [Fact]
    public async Task Watch_under_systemd_says_ready_pings_the_watchdog_and_says_stopping_on_sigterm()
    {
        var socketPath = Path.Join(directory, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Join(AppContext.BaseDirectory, "infradiff.dll"), "watch", "--dir", Path.Join(directory, "store"), "--only", "os", "--interval", "1h", "--heartbeat", "off" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NOTIFY_SOCKET"] = socketPath;
        start.Environment["WATCHDOG_USEC"] = "400000";
        start.Environment["XDG_CACHE_HOME"] = Path.Join(directory, "cache");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        var messages = new List<string>();
        var buffer = new byte[4096];
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (messages.Count(m => m == "WATCHDOG=1") < 3)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
            }
        }

        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (messages[^1] != "STOPPING=1")
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
            }

            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.Equal("READY=1", messages[0]);
        Assert.StartsWith("STATUS=watching ", messages[1], StringComparison.Ordinal);
        Assert.Equal("STOPPING=1", messages[^1]);
        Assert.True(process.ExitCode == 0, await stderr);
    }
}
