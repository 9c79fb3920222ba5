using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using InfraDiff.Tests.Reporting;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Tests.Monitoring;

/// <summary>The outbox's delivery on its own, over a real store on disk and sinks that answer as told.</summary>
public sealed class AlertDeliveryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-delivery-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_failing_sink_keeps_order_the_others_still_get_each_alert_and_a_refusal_is_set_aside()
    {
        var store = new SnapshotStore(directory, StoreKey.FromBytes(new byte[32]));
        var first = MessageFormatTests.Alert(1) with { IdempotencyKey = "first" };
        var second = MessageFormatTests.Alert(1) with { IdempotencyKey = "second" };
        await store.Outbox.EnqueueAsync(first);
        await store.Outbox.EnqueueAsync(second);
        var steady = new Sink("steady");
        var flaky = new Sink("flaky") { FailuresLeft = 1 };
        var refusing = new Sink("refusing") { Refuses = true };
        IAlertSink[] sinks = [steady, flaky, refusing];

        var waiting = await AlertDelivery.DeliverAsync(store.Outbox, sinks, NullLogger.Instance, CancellationToken.None);

        // The flaky sink failed on the first alert: the round stops there, so the second waits behind it.
        Assert.Equal(2, waiting);
        Assert.Equal(["first"], steady.Received);

        waiting = await AlertDelivery.DeliverAsync(store.Outbox, sinks, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(0, waiting);
        Assert.Equal(["first", "second"], steady.Received);
        Assert.Equal(["first", "second"], flaky.Received);
        Assert.Equal(2, store.DeadAlertCount);
    }

    private sealed class Sink(string id) : IAlertSink
    {
        public string Id => id;

        public int FailuresLeft { get; set; }

        public bool Refuses { get; init; }

        public List<string> Received { get; } = [];

        public Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
        {
            if (Refuses)
            {
                throw new AlertDeliveryException($"{id}: refused", permanent: true);
            }

            if (FailuresLeft-- > 0)
            {
                throw new AlertDeliveryException($"{id}: down");
            }

            Received.Add(alert.IdempotencyKey);
            return Task.CompletedTask;
        }
    }
}
