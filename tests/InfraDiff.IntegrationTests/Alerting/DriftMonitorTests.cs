using System.Diagnostics;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.IntegrationTests.Alerting;

/// <summary>The monitor and the webhook sink against a real HTTP receiver on loopback.</summary>
public sealed class DriftMonitorTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-watch-").FullName;
    private readonly WebhookReceiver receiver = new() { Secret = "test-signing-secret" };

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    private string Tree => Path.Join(work, "tree");

    private DriftMonitor Monitor(WebhookOptions? webhook = null, TimeSpan? filesTimeout = null) =>
        new(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
            new DriftMonitorOptions
            {
                Directory = Path.Join(work, "store"),
                Snapshot = new SnapshotOptions { Only = ["files"], CollectorTimeouts = new Dictionary<string, TimeSpan> { ["files"] = filesTimeout ?? Timeout.InfiniteTimeSpan } },
                Interval = TimeSpan.FromSeconds(1),
            },
            [new WebhookAlertSink(webhook ?? Webhook())]);

    private WebhookOptions Webhook(int attempts = 4, TimeSpan? timeout = null) =>
        new() { Url = receiver.Url, Secret = receiver.Secret, MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(50), Timeout = timeout ?? TimeSpan.FromSeconds(5) };

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Join(Tree, name), text);
    }

    [Fact]
    public async Task One_drift_gives_exactly_one_signed_alert_with_the_change()
    {
        await receiver.StartAsync();
        Write("a.conf", "one");
        var monitor = Monitor();

        await monitor.RunCycleAsync();
        Write("b.conf", "two");
        var drift = await monitor.RunCycleAsync();
        var quiet = await monitor.RunCycleAsync();

        Assert.True(drift.Alerted);
        Assert.False(quiet.Alerted);
        var request = Assert.Single(receiver.Requests);
        Assert.True(request.SignatureValid);
        Assert.Equal(32, request.IdempotencyKey!.Length);
        using var body = JsonDocument.Parse(request.Body);
        var change = Assert.Single(body.RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal("add", change.GetProperty("op").GetString());
        Assert.EndsWith("~1b.conf", change.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal("add", body.RootElement.GetProperty("patch")[0].GetProperty("op").GetString());
        Assert.Equal(0, monitor.Store.PendingAlertCount);
        var journal = body.RootElement.GetProperty("journal");
        Assert.InRange(journal.GetProperty("sequence").GetInt64(), 1, monitor.Store.Journal.Sequence);
        Assert.Equal(64, journal.GetProperty("head").GetString()!.Length);
    }

    [Fact]
    public async Task A_change_made_while_a_collector_timed_out_is_alerted_at_the_next_good_cycle()
    {
        await receiver.StartAsync();
        Write("a.conf", "one");
        await Monitor().RunCycleAsync();

        Write("b.conf", "made while the files collector could not finish");
        var failed = await Monitor(filesTimeout: TimeSpan.FromTicks(1)).RunCycleAsync();
        var good = await Monitor().RunCycleAsync();

        Assert.False(failed.Alerted);
        Assert.Equal(CollectorStatus.Timeout, failed.Snapshot.Metadata.Collectors["files"].Status);
        Assert.True(good.Alerted);
        var request = Assert.Single(receiver.Requests);
        using var body = JsonDocument.Parse(request.Body);
        Assert.EndsWith("~1b.conf", Assert.Single(body.RootElement.GetProperty("changes").EnumerateArray()).GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_state_file_is_quarantined_as_tampered_and_the_loop_goes_on()
    {
        await receiver.StartAsync();
        Write("a.conf", "one");
        var store = Path.Join(work, "store");
        var monitor = new DriftMonitor(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
            new DriftMonitorOptions { Directory = store, Snapshot = new SnapshotOptions { Only = ["files"] }, Interval = TimeSpan.FromSeconds(1), Against = DriftReference.Baseline },
            [new WebhookAlertSink(Webhook())]);
        await monitor.RunCycleAsync();
        Write("b.conf", "two");
        await monitor.RunCycleAsync();
        File.WriteAllText(Path.Join(store, "state.json"), "g");

        var cycle = await monitor.RunCycleAsync();

        Assert.True(cycle.Alerted);
        Assert.Single(Directory.GetFiles(Path.Join(store, "quarantine"), "*state.json"));
        Assert.Contains(receiver.Requests, r => r.Body.Contains("store file state.json: tampered: its content differs from what the journal recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_heartbeat_carries_the_journal_head_and_no_change_to_a_generic_receiver()
    {
        await receiver.StartAsync();
        Write("a.conf", "one");
        var monitor = new DriftMonitor(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
            new DriftMonitorOptions { Directory = Path.Join(work, "store"), Snapshot = new SnapshotOptions { Only = ["files"] }, Heartbeat = TimeSpan.FromMilliseconds(1) },
            [new WebhookAlertSink(Webhook())]);

        await monitor.RunCycleAsync();
        await Task.Delay(10);
        await monitor.RunCycleAsync();

        var request = Assert.Single(receiver.Requests);
        using var body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("heartbeat").GetBoolean());
        Assert.Empty(body.RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal(monitor.Store.Journal.Head.Length, body.RootElement.GetProperty("journal").GetProperty("head").GetString()!.Length);
        Assert.True(request.SignatureValid);
    }

    [Fact]
    public async Task Server_errors_and_429_are_retried_and_429_waits_for_retry_after()
    {
        await receiver.StartAsync();
        Write("a.conf", "one");
        var monitor = Monitor();
        await monitor.RunCycleAsync();
        receiver.Script.Enqueue("500");
        receiver.Script.Enqueue("429");
        Write("a.conf", "two");

        var stopwatch = Stopwatch.StartNew();
        var result = await monitor.RunCycleAsync();

        Assert.Equal(0, result.Undelivered);
        Assert.Single(receiver.Requests);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1), $"Retry-After: 1 was not honoured ({stopwatch.Elapsed})");
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_a_hang_times_out_then_retries()
    {
        await receiver.StartAsync();
        using var sink = new WebhookAlertSink(Webhook(attempts: 3, timeout: TimeSpan.FromMilliseconds(500)));
        var report = InfraDiff.Diffing.SnapshotDiffer.Compare(
            InfraDiff.Snapshots.SnapshotFile.Parse("a", """{"schemaVersion":1,"metadata":{"host":"h","takenAt":"2026-11-27T00:00:00Z","tool":"t","collectors":{}},"x":{"v":1}}"""u8.ToArray()),
            InfraDiff.Snapshots.SnapshotFile.Parse("b", """{"schemaVersion":1,"metadata":{"host":"h","takenAt":"2026-11-27T01:00:00Z","tool":"t","collectors":{}},"x":{"v":2}}"""u8.ToArray()));
        var alert = new DriftAlert("key-1", "h", DateTimeOffset.UtcNow, report);

        receiver.Script.Enqueue("404");
        var refused = await Assert.ThrowsAsync<AlertDeliveryException>(() => sink.SendAsync(alert));
        var afterRefusal = receiver.Requests.Count;
        receiver.Script.Enqueue("hang");
        await sink.SendAsync(alert);

        Assert.Contains("answered 404", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-logged", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, afterRefusal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_down_for_three_cycles_then_up_gets_every_alert_exactly_once_in_order()
    {
        await receiver.StartAsync();
        var port = receiver.Port;
        Write("a.conf", "0");
        var monitor = Monitor(Webhook(attempts: 1));
        await monitor.RunCycleAsync();
        await receiver.StopAsync();

        for (var i = 1; i <= 3; i++)
        {
            Write($"down{i}.conf", "x");
            var result = await monitor.RunCycleAsync();
            Assert.Equal(i, result.Undelivered);
        }

        await receiver.StartAsync(port);
        Write("up.conf", "x");
        var final = await monitor.RunCycleAsync();

        Assert.Equal(0, final.Undelivered);
        var paths = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("changes")[0].GetProperty("path").GetString()!).ToList();
        Assert.Equal(["down1.conf", "down2.conf", "down3.conf", "up.conf"], paths.Select(p => p[(p.LastIndexOf("~1", StringComparison.Ordinal) + 2)..]));
        Assert.Equal(4, receiver.Requests.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
    }
}
