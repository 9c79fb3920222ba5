using System.Diagnostics;
using System.Reflection;
using InfraDiff.Snapshots;

namespace InfraDiff.IntegrationTests.Alerting;

/// <summary><c>infradiff watch</c> as an operator runs it: a real process, real signals, the seed's environment variables.</summary>
public sealed class WatchProcessTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-watchproc-").FullName;
    private readonly WebhookReceiver receiver = new() { Secret = "s" };
    private readonly List<Process> processes = [];

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await receiver.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    private static readonly string Executable = typeof(WatchProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InfradiffExecutable").Value!;

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    /// <summary>Starts the watcher with the seed's variables: WEBHOOK_URL, INTERVAL (seconds), SNAPSHOT_DIR.</summary>
    private Process StartWatcher(params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
        foreach (var argument in new[] { Executable, "watch", "--only", "files", "--files", Tree, "--no-cache" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["WEBHOOK_URL"] = receiver.Url.ToString();
        start.Environment["WEBHOOK_SECRET"] = "s";
        start.Environment["INTERVAL"] = "1";
        start.Environment["SNAPSHOT_DIR"] = Store;
        start.Environment["XDG_CACHE_HOME"] = Path.Join(work, "cache");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        processes.Add(process);
        return process;
    }

    private int SnapshotCount() => Directory.Exists(Store) ? Directory.GetFiles(Store, "snapshot-*.json").Length : 0;

    /// <summary>Cycles run: a cycle that changed nothing stores no snapshot, but always its record.</summary>
    private int CycleCount() => Directory.Exists(Path.Join(Store, "reports")) ? Directory.GetFiles(Path.Join(Store, "reports"), "cycle-*.json").Length : 0;

    /// <summary>A watcher over a tree with one file runs until it has stored two snapshots (the first, then one after a change) and is stopped; returns the newest.</summary>
    private async Task<string> TwoSnapshotsThenStopAsync()
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var watcher = StartWatcher();
        await Tool.WaitForAsync(() => SnapshotCount() >= 1, "the first snapshot");
        File.WriteAllText(Path.Join(Tree, "second"), "2");
        await Tool.WaitForAsync(() => SnapshotCount() >= 2, "a second snapshot after a change");
        await StopAsync(watcher);
        return Directory.GetFiles(Store, "snapshot-*.json").Order(StringComparer.Ordinal).Last();
    }

    [Fact]
    public async Task The_seeds_three_variables_drive_the_loop_and_sigterm_exits_0()
    {
        await receiver.StartAsync();
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var watcher = StartWatcher();
        await Tool.WaitForAsync(() => SnapshotCount() >= 1, "the first snapshot in SNAPSHOT_DIR");

        File.WriteAllText(Path.Join(Tree, "b"), "2");
        await Tool.WaitForAsync(() => !receiver.Requests.IsEmpty, "the alert at WEBHOOK_URL");
        await StopAsync(watcher);

        Assert.Equal(0, watcher.ExitCode);
        var request = Assert.Single(receiver.Requests);
        Assert.True(request.SignatureValid);
        Assert.True(SnapshotCount() >= 2);
    }

    [Fact]
    public async Task A_second_watcher_on_the_same_directory_refuses_and_a_dead_ones_lock_is_taken_over()
    {
        await receiver.StartAsync();
        Directory.CreateDirectory(Tree);
        var first = StartWatcher();
        await Tool.WaitForAsync(() => SnapshotCount() >= 1, "the first watcher's snapshot");

        var second = StartWatcher();
        var refusal = await second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        first.Kill();
        await first.WaitForExitAsync();
        var third = StartWatcher();
        var before = CycleCount();
        await Tool.WaitForAsync(() => CycleCount() > before, "a cycle from the watcher that took the lock over");

        Assert.Equal(2, second.ExitCode);
        Assert.Contains("in use by another infradiff run", refusal, StringComparison.Ordinal);
        Assert.False(third.HasExited);
    }

    [Fact]
    public async Task A_watcher_killed_mid_cycle_and_restarted_leaves_no_torn_file_and_loses_no_alert()
    {
        await receiver.StartAsync();
        Directory.CreateDirectory(Tree);
        // Enough files that a cycle takes long enough to be killed in the middle of one.
        for (var i = 0; i < 400; i++)
        {
            File.WriteAllText(Path.Join(Tree, $"f{i}"), new string('x', 20_000 + i));
        }

        var changes = 0;
        for (var round = 0; round < 4; round++)
        {
            var watcher = StartWatcher();
            await Tool.WaitForAsync(() => SnapshotCount() >= 1, "a snapshot");
            File.WriteAllText(Path.Join(Tree, $"changed{round}"), "drift");
            changes++;
            await Task.Delay(900 + (round * 137));
            watcher.Kill();
            await watcher.WaitForExitAsync();
        }

        var last = StartWatcher();
        await Tool.WaitForAsync(
            () => Enumerable.Range(0, changes).All(r => receiver.Requests.Any(q => q.Body.Contains($"changed{r}", StringComparison.Ordinal))),
            "every change's alert after the restarts",
            seconds: 40);

        foreach (var file in Directory.GetFiles(Store, "*.json"))
        {
            _ = SnapshotFile.Parse(file, await File.ReadAllBytesAsync(file));
        }

        Assert.Empty(Directory.GetFiles(Store, ".*.tmp"));
        // A kill between a delivery and its removal from the outbox sends that alert again on restart: at least
        // once, under the same key, which is what the key is for. Two different alerts never share a key.
        Assert.All(receiver.Requests.GroupBy(r => r.IdempotencyKey), resent => Assert.Single(resent.Select(r => r.Body).Distinct()));
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        Assert.False(last.HasExited);
    }

    [Fact]
    public async Task An_alert_refused_for_good_is_set_aside_the_queue_goes_on_and_retry_dead_sends_it()
    {
        await receiver.StartAsync();
        receiver.Script.Enqueue("413");
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var watcher = StartWatcher();
        var stderr = new System.Text.StringBuilder();
        watcher.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        watcher.BeginErrorReadLine();
        await Tool.WaitForAsync(() => SnapshotCount() >= 1, "the first snapshot");

        File.WriteAllText(Path.Join(Tree, "refused"), "2");
        await Tool.WaitForAsync(() => Directory.Exists(Path.Join(Store, "outbox", "dead")) && Directory.GetFiles(Path.Join(Store, "outbox", "dead")).Length == 1, "the refused alert set aside");
        File.WriteAllText(Path.Join(Tree, "later"), "3");
        await Tool.WaitForAsync(() => receiver.Requests.Any(r => r.Body.Contains("~1later", StringComparison.Ordinal)), "the next alert delivered past the refused one");
        await StopAsync(watcher);

        var retry = new ProcessStartInfo("dotnet") { RedirectStandardError = true, WorkingDirectory = work };
        foreach (var argument in new[] { Executable, "alert", "--retry-dead" })
        {
            retry.ArgumentList.Add(argument);
        }

        retry.Environment["WEBHOOK_URL"] = receiver.Url.ToString();
        retry.Environment["SNAPSHOT_DIR"] = Store;
        using var retried = Process.Start(retry)!;
        var retryStderr = await retried.StandardError.ReadToEndAsync();
        await retried.WaitForExitAsync();

        Assert.Equal(0, retried.ExitCode);
        Assert.Contains("1 dead alerts retried; 0 still waiting, 0 refused again", retryStderr, StringComparison.Ordinal);
        Assert.Contains(receiver.Requests, r => r.Body.Contains("~1refused", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Join(Store, "outbox", "dead")));
        lock (stderr)
        {
            Assert.Contains("answered 413 ", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("(payload too large for this channel); refused for good", stderr.ToString(), StringComparison.Ordinal);
            // One line a cycle, stamped in UTC, says what the cycle did.
            Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ infradiff: info: full cycle done in \d+\.\d{3} s: \d+ changes \(0 critical, \d+ high, \d+ medium, \d+ low\); (alert queued|no alert); \d+ alerts waiting, \d+ set aside$", stderr.ToString());
            Assert.DoesNotContain("never-logged", stderr.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Poison_files_in_the_store_are_quarantined_alerted_and_the_next_change_still_arrives()
    {
        await receiver.StartAsync();
        var latest = await TwoSnapshotsThenStopAsync();

        // What a crash, a full disk or a careless hand leaves: a truncated latest snapshot, garbage and "{}" in the outbox.
        File.WriteAllBytes(latest, File.ReadAllBytes(latest)[..100]);
        File.WriteAllText(Path.Join(Store, "outbox", "20260101T000000000Z-garbage.json"), "garbage");
        File.WriteAllText(Path.Join(Store, "outbox", "20260101T000000001Z-empty.json"), "{}");
        var second = StartWatcher();
        await Tool.WaitForAsync(() => Received("\"category\":\"store\""), "the store alert");
        File.WriteAllText(Path.Join(Tree, "b"), "2");
        await Tool.WaitForAsync(() => Received("~1b"), "the next real change");

        var store = receiver.Requests.First(r => r.Body.Contains("\"category\":\"store\"", StringComparison.Ordinal)).Body;
        Assert.Contains("\"severity\":\"critical\"", store, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(latest), store, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(Path.Join(Store, "quarantine")).Length);
        Assert.False(second.HasExited);
    }

    /// <summary>SIGTERM, as systemd or an operator stops it, and waits for the exit.</summary>
    private static async Task StopAsync(Process watcher)
    {
        Process.Start("kill", ["-TERM", watcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await watcher.WaitForExitAsync();
    }

    private bool Received(string text) => receiver.Requests.Any(r => r.Body.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_stored_snapshot_edited_to_hide_a_change_is_caught_and_the_change_still_alerted()
    {
        await receiver.StartAsync();
        var latest = await TwoSnapshotsThenStopAsync();

        // The intruder plants a file and rewrites the newest stored snapshot so that it already lists it.
        File.WriteAllText(Path.Join(Tree, "backdoor"), "x");
        var forged = new ProcessStartInfo("dotnet", [Executable, "snapshot", "--only", "files", "--files", Tree, "--no-cache", "-o", latest]);
        forged.Environment["XDG_CACHE_HOME"] = Path.Join(work, "other-cache");
        Process.Start(forged)!.WaitForExit();
        var second = StartWatcher();
        await Tool.WaitForAsync(() => Received("~1backdoor") && Received("\"category\":\"store\""), "the hidden change and the store alert");

        Assert.Contains(receiver.Requests, r => r.Body.Contains(Path.GetFileName(latest) + ": tampered", StringComparison.Ordinal));
        Assert.False(second.HasExited);
    }

    [Fact]
    public async Task A_deleted_baseline_is_alerted_and_not_recreated_until_reset()
    {
        await receiver.StartAsync();
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var first = StartWatcher("--against", "baseline");
        await Tool.WaitForAsync(() => File.Exists(Path.Join(Store, "baseline.json")), "the baseline");
        await StopAsync(first);

        File.Delete(Path.Join(Store, "baseline.json"));
        var second = StartWatcher("--against", "baseline");
        await Tool.WaitForAsync(() => Received("baseline.json: was deleted behind the store"), "the deleted-baseline alert");
        await Task.Delay(1500);
        Assert.False(File.Exists(Path.Join(Store, "baseline.json")));
        await StopAsync(second);

        var third = StartWatcher("--against", "baseline", "--reset-baseline");
        await Tool.WaitForAsync(() => File.Exists(Path.Join(Store, "baseline.json")) && Received("replaced by a new baseline"), "the reset baseline and its alert");
        Assert.Single(receiver.Requests, r => r.Body.Contains("was deleted behind the store", StringComparison.Ordinal));
        await StopAsync(third);
    }

    /// <summary>A watcher without a receiver yet makes one change's alert wait in the outbox, and is stopped; the entry's path.</summary>
    private async Task<string> UndeliveredAlertAsync()
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
        var first = StartWatcher();
        await Tool.WaitForAsync(() => SnapshotCount() >= 1, "a snapshot");
        File.WriteAllText(Path.Join(Tree, "b"), "2");
        await Tool.WaitForAsync(() => Directory.Exists(Path.Join(Store, "outbox")) && Directory.GetFiles(Path.Join(Store, "outbox"), "*.json").Length == 1, "an undelivered alert (no receiver yet)");
        await StopAsync(first);
        return Directory.GetFiles(Path.Join(Store, "outbox"), "*.json").Single();
    }

    [Fact]
    public async Task An_outbox_entry_edited_or_forged_is_quarantined_never_delivered()
    {
        var entry = await UndeliveredAlertAsync();
        File.WriteAllText(entry, File.ReadAllText(entry).Replace("\"medium\"", "\"low\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Join(Store, "outbox", "20260101T000000000Z-forged.json"), File.ReadAllText(entry));
        await receiver.StartAsync();
        var second = StartWatcher();
        await Tool.WaitForAsync(() => Received(Path.GetFileName(entry) + ": tampered") && Received("20260101T000000000Z-forged.json: tampered"), "the store alert for both");

        Assert.DoesNotContain(receiver.Requests, r => r.Body.Contains("\"category\":\"files\"", StringComparison.Ordinal) && r.Body.Contains("~1b", StringComparison.Ordinal) && !r.Body.Contains("\"category\":\"store\"", StringComparison.Ordinal));
        await StopAsync(second);
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Executable, "verify", "--dir", Store]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["XDG_CACHE_HOME"] = Path.Join(work, "cache");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Verify_says_intact_for_a_watchers_store_and_names_a_deleted_outbox_entry()
    {
        var entry = await UndeliveredAlertAsync();
        var intact = await VerifyAsync();
        File.Delete(entry);
        var broken = await VerifyAsync();
        await receiver.StartAsync();
        var second = StartWatcher();
        await Tool.WaitForAsync(() => Received(Path.GetFileName(entry) + ": alert ") && Received("not yet delivered, was deleted behind the store's back"), "the deleted-entry alert");
        await StopAsync(second);

        Assert.Equal(0, intact.ExitCode);
        Assert.StartsWith("intact: ", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith($"broken: outbox/{Path.GetFileName(entry)}: the journal says it exists, and it is gone", broken.Output, StringComparison.Ordinal);
    }
}
