using System.Diagnostics;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Sections.Files;

namespace InfraDiff.IntegrationTests.Monitoring;

/// <summary>
/// Real-time watching with the kernel's fanotify (these tests run as root, as CI does): real processes write under a
/// watched tree, and the alerts the monitor writes to a file are read back. Each test ends with a full cycle that must
/// find nothing the targeted cycles missed.
/// </summary>
public sealed class RealtimeTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-realtime-").FullName;
    private readonly CancellationTokenSource stop = new();
    private Task? running;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Tree);

        // Writable by the users the tests switch to.
        File.SetUnixFileMode(Tree, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(work, (UnixFileMode)0x1ED);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(work, recursive: true);
    }

    private string Tree => Path.Join(work, "tree");

    private string Alerts => Path.Join(work, "alerts.jsonl");

    /// <summary>A file outside the files roots that a custom section reads.</summary>
    private string Settings => Path.Join(work, "app.settings");

    /// <summary>A custom section that declares its input: it gets real-time watching as a built-in section does.</summary>
    private sealed class AppSettings(string path) : ICollector
    {
        public const string Name = "appSettings";

        string ICollector.Name => Name;

        public SectionDescriptor Section { get; } = new(Name) { Inputs = [path] };

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult<object>(File.Exists(path)
                ? File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
                : new Dictionary<string, string>());
    }

    private DriftMonitor Monitor(bool realtime = true) =>
        new(
            new Snapshotter([.. BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false }), new AppSettings(Settings)]),
            new DriftMonitorOptions
            {
                Directory = Path.Join(work, "store"),
                StoreKey = Key,
                Snapshot = new SnapshotOptions { Only = ["files", AppSettings.Name] },
                Interval = TimeSpan.FromHours(1),
                Heartbeat = TimeSpan.Zero,
                Realtime = realtime,
            },
            [new FileAlertSink(Alerts)]);

    private StoreKey Key { get; } = StoreKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts a real-time watcher and waits for its first (full) cycle.</summary>
    private async Task<DriftMonitor> WatchAsync()
    {
        var monitor = Monitor();
        running = Task.Run(() => monitor.RunAsync(stop.Token));
        await Tool.WaitForAsync(() => monitor.Store.Snapshots().Count > 0 || running.IsCompleted, "the first cycle");
        Assert.False(running.IsCompleted, running.Exception?.ToString());
        Assert.Null(monitor.RealtimeUnavailable);
        return monitor;
    }

    private async Task StopAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            await running;
            running = null;
        }
    }

    /// <summary>Every change the alerts so far carry, each with the cycle that found it.</summary>
    private List<(JsonElement Change, string? Cycle)> Changes() =>
        !File.Exists(Alerts) ? []
        : [.. File.ReadAllLines(Alerts).Select(l => JsonDocument.Parse(l).RootElement)
            .SelectMany(a => a.GetProperty("changes").EnumerateArray().Select(c => (c, a.TryGetProperty("cycle", out var k) ? k.GetString() : null)))];

    private JsonElement? ChangeAt(string name) =>
        Changes().Select(c => c.Change).Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("path").GetString()!.EndsWith("~1" + name, StringComparison.Ordinal));

    /// <summary>Runs a shell command line as a real process, and leaves it running for a while so it can be read.</summary>
    private static Process Shell(string script)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        return Process.Start(start)!;
    }

    /// <summary>After the watcher stops, a full cycle against what it stored last finds nothing the targeted cycles missed.</summary>
    private async Task NothingMissedAsync()
    {
        await StopAsync();
        var full = await Monitor(realtime: false).RunCycleAsync();
        Assert.False(full.Report!.HasDrift, string.Join("\n", full.Report.Changes.Select(c => c.Summary)));
    }

    [Fact]
    public async Task A_write_is_alerted_within_2_seconds_naming_the_executable_the_uid_and_the_login_uid()
    {
        await WatchAsync();
        var sh = (await Tool.RunCheckedAsync("readlink", ["-f", "/bin/sh"])).StandardOutput.Trim();
        var written = Stopwatch.StartNew();
        using var writer = Shell($"echo 4242 > /proc/self/loginuid; echo hello > {Tree}/x.conf; sleep 3");

        await Tool.WaitForAsync(() => ChangeAt("x.conf") is not null, "the alert for x.conf", seconds: 10);
        var latency = written.Elapsed;
        var change = ChangeAt("x.conf")!.Value;
        var by = change.GetProperty("by");
        Assert.True(latency < TimeSpan.FromSeconds(2), $"alerted after {latency.TotalSeconds:0.00} s");
        Assert.Equal(writer.Id, by.GetProperty("pid").GetInt32());
        Assert.Equal(sh, by.GetProperty("executable").GetString());
        Assert.Equal(0, by.GetProperty("uid").GetInt64());
        Assert.Equal("root", by.GetProperty("user").GetString());
        Assert.Equal(4242, by.GetProperty("loginUid").GetInt64());
        Assert.Contains($"echo hello > {Tree}/x.conf", by.GetProperty("commandLine").GetString(), StringComparison.Ordinal);
        Assert.Contains($"— by {sh} (pid {writer.Id}) as root, login 4242", change.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("targeted (1 path changed)", Changes().Single().Cycle, StringComparison.Ordinal);
        await NothingMissedAsync();
    }

    [Fact]
    public async Task Sudo_and_su_chains_keep_the_login_user_and_name_the_user_that_wrote()
    {
        await WatchAsync();
        using var viaSu = Shell($"echo 4242 > /proc/self/loginuid; exec su nobody -s /bin/sh -c 'echo a > {Tree}/by-su; sleep 3'");
        using var viaSudo = Shell($"echo 4343 > /proc/self/loginuid; exec sudo -u nobody /bin/sh -c 'echo b > {Tree}/by-sudo; sleep 3'");

        await Tool.WaitForAsync(() => ChangeAt("by-su") is not null && ChangeAt("by-sudo") is not null, "alerts for both files", seconds: 10);
        foreach (var (name, login, parent) in new[] { ("by-su", 4242, "su"), ("by-sudo", 4343, "sudo") })
        {
            var by = ChangeAt(name)!.Value.GetProperty("by");
            Assert.Equal(65534, by.GetProperty("uid").GetInt64());
            Assert.Equal("nobody", by.GetProperty("user").GetString());
            Assert.Equal(login, by.GetProperty("loginUid").GetInt64());
            Assert.Contains(by.GetProperty("parents").EnumerateArray(), p => p.GetString()!.StartsWith(parent + " (pid ", StringComparison.Ordinal));
        }

        await NothingMissedAsync();
    }

    [Fact]
    public async Task A_file_created_and_deleted_within_the_settle_time_is_still_reported_with_its_writer()
    {
        await WatchAsync();
        using var writer = Shell($"echo payload > {Tree}/dropper; rm {Tree}/dropper; sleep 3");

        await Tool.WaitForAsync(() => ChangeAt("dropper") is not null, "the alert for the transient file", seconds: 10);
        var change = ChangeAt("dropper")!.Value;
        Assert.True(change.GetProperty("transient").GetBoolean());
        Assert.Equal(writer.Id, change.GetProperty("by").GetProperty("pid").GetInt32());
        Assert.StartsWith($"file {Tree}/dropper created and deleted again before the cycle — by ", change.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // In no snapshot: not in the alert's patch.
        var alert = File.ReadAllLines(Alerts).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Empty(alert.GetProperty("patch").EnumerateArray());
        await NothingMissedAsync();
    }

    [Fact]
    public async Task A_folder_moved_in_is_walked_and_its_files_are_told_with_the_mover()
    {
        var outside = Path.Join(work, "staging");
        Directory.CreateDirectory(Path.Join(outside, "sub"));
        File.WriteAllText(Path.Join(outside, "sub", "inner.conf"), "x");
        await WatchAsync();
        // perl (in every Debian) renames and lingers, so it can still be read; mv would be gone at once.
        using var mover = Shell($"exec perl -e 'rename(\"{outside}\", \"{Tree}/moved\") or die; sleep 3'");

        await Tool.WaitForAsync(() => ChangeAt("inner.conf") is not null, "the alert for the moved folder's file", seconds: 10);
        Assert.Equal(mover.Id, ChangeAt("inner.conf")!.Value.GetProperty("by").GetProperty("pid").GetInt32());
        Assert.NotNull(ChangeAt("moved"));
        Assert.NotNull(ChangeAt("sub"));
        await NothingMissedAsync();
    }

    [Fact]
    public async Task An_overflowing_event_queue_runs_a_full_cycle_and_loses_nothing()
    {
        // The kernel gives a group the queue limit set when it is made: a tiny one overflows under a burst of writes.
        // The limit is put back as soon as this process holds one more fanotify group, so no other test's group gets it.
        const string Limit = "/proc/sys/fs/fanotify/max_queued_events";
        static int Groups() => Directory.GetFiles($"/proc/{Environment.ProcessId}/fdinfo")
            .Count(f => { try { return File.ReadAllText(f).Contains("fanotify flags:", StringComparison.Ordinal); } catch (IOException) { return false; } });
        var saved = File.ReadAllText(Limit).Trim();
        var before = Groups();
        File.WriteAllText(Limit, "16");
        Task<DriftMonitor> watching;
        try
        {
            watching = WatchAsync();
            await Tool.WaitForAsync(() => Groups() > before || watching.IsCompleted, "the watcher's fanotify group");
        }
        finally
        {
            File.WriteAllText(Limit, saved);
        }

        await watching;

        using var burst = Shell($"i=0; while [ $i -lt 3000 ]; do echo $i > {Tree}/f$i; i=$((i+1)); done; sleep 2");
        await burst.WaitForExitAsync();

        // An alert this large is cut to its most severe changes: its totals count them all.
        int Alerted() => !File.Exists(Alerts) ? 0 : File.ReadAllLines(Alerts).Sum(l => JsonDocument.Parse(l).RootElement.GetProperty("totals").GetProperty("changes").GetInt32());
        await Tool.WaitForAsync(() => Alerted() >= 3000, "3,000 added files alerted", seconds: 30);

        Assert.Equal(3000, Alerted());
        Assert.Contains(Changes(), c => c.Cycle == "full (the kernel's event queue overflowed)");
        await NothingMissedAsync();
    }

    [Fact]
    public async Task Without_CAP_SYS_ADMIN_one_line_says_why_and_full_cycles_go_on_at_the_interval()
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--inh-caps=-sys_admin", "--bounding-set=-sys_admin", "dotnet", Scenarios.Infradiff.Executable,
            "watch", "--realtime", "--only", "files", "--files", Tree, "--dir", Path.Join(work, "store"), "--interval", "1s",
            "--key-file", Path.Join(work, "key"), "--heartbeat", "off", "--no-cache",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        using var watcher = Process.Start(start)!;
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        watcher.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stderr.Enqueue(line);
            }
        };
        watcher.BeginErrorReadLine();
        var stdout = watcher.StandardOutput.ReadToEndAsync();
        try
        {
            await Tool.WaitForAsync(() => stderr.Any(l => l.Contains("full cycle done", StringComparison.Ordinal)), "the first cycle", seconds: 60);
            File.WriteAllText(Path.Join(Tree, "late.conf"), "x");
            await Tool.WaitForAsync(() => stderr.Any(l => l.Contains("full cycle done", StringComparison.Ordinal) && l.Contains("alert queued", StringComparison.Ordinal)), "a later full cycle that alerts", seconds: 30);
        }
        finally
        {
            Process.Start("kill", ["-TERM", watcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await watcher.WaitForExitAsync();
        }

        Assert.Equal(0, watcher.ExitCode);
        var why = Assert.Single(stderr, l => l.Contains("real-time", StringComparison.Ordinal));
        Assert.Contains("infradiff: warning: real-time watching is off: fanotify_init: Operation not permitted (it needs root, or CAP_SYS_ADMIN and CAP_DAC_READ_SEARCH, and Linux 5.9 or later); full cycles run every 1 s", why, StringComparison.Ordinal);
        Assert.DoesNotContain(stderr, l => l.Contains("targeted", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.Contains("late.conf", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_section_that_declares_its_input_is_read_again_at_once_and_names_the_writer()
    {
        File.WriteAllText(Settings, "mode=safe\n");
        await WatchAsync();
        using var writer = Shell($"echo mode=debug > {Settings}; sleep 3");

        await Tool.WaitForAsync(() => Changes().Any(c => c.Change.GetProperty("category").GetString() == AppSettings.Name), "the custom section's alert", seconds: 10);
        var (change, cycle) = Changes().Single(c => c.Change.GetProperty("category").GetString() == AppSettings.Name);
        Assert.Equal("/appSettings/mode", change.GetProperty("path").GetString());
        Assert.Equal(writer.Id, change.GetProperty("by").GetProperty("pid").GetInt32());
        Assert.StartsWith("targeted (1 path changed)", cycle, StringComparison.Ordinal);
        await NothingMissedAsync();
    }
}
