using InfraDiff.Reporting;

namespace InfraDiff.Alerting;

/// <summary>
/// Delivers alerts somewhere: a webhook, a chat, a mailbox, a file. One method, like a logging sink.
/// </summary>
/// <remarks>
/// <para><b>Identity.</b> <see cref="Id"/> is the sink's delivery key: a <see cref="Monitoring.DriftMonitor"/> records in
/// its outbox which sink ids received each alert, so a restart never sends an alert twice to the same sink. Keep it stable
/// across restarts; changing it (a sink renamed, a URL changed) makes the monitor deliver what is still queued to it as to a
/// new sink. It also names the sink in logs, so it must never carry a secret.</para>
/// <para><b>Retries.</b> A sink retries within <see cref="SendAsync"/> as far as it judges useful, then gives up by
/// throwing; the monitor keeps the alert and tries again next cycle. Alerts carry an idempotency key that stays the same
/// across every attempt, so a receiver can drop a duplicate.</para>
/// <para><b>Cancellation.</b> When the token given to <see cref="SendAsync"/> is cancelled the sink
/// stops waiting and throws <see cref="OperationCanceledException"/>; the alert stays queued.</para>
/// <para><b>Failure.</b> The only other exception a sink throws is <see cref="AlertDeliveryException"/>, with
/// <see cref="AlertDeliveryException.Permanent"/> set when the receiver refused the alert for good (the monitor then sets
/// it aside as dead instead of blocking the alerts behind it).</para>
/// </remarks>
public interface IAlertSink
{
    /// <summary>The stable identity of this sink: its delivery key in the outbox and its name in logs ("slack webhook https://hooks.example/… #1a2b3c4d"), never carrying a secret.</summary>
    string Id { get; }

    /// <summary>Delivers the alert, or throws <see cref="AlertDeliveryException"/> once it has given up.</summary>
    /// <exception cref="AlertDeliveryException">The alert was not delivered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default);
}
