using InfraDiff.Alerting;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Monitoring;

/// <summary>
/// Delivers the outbox: each alert to every sink that has not taken it, oldest alert first. A sink's failure never
/// stops the others; a refusal for good sets the alert aside for that sink; a failure keeps it queued and stops the
/// round, so alerts reach a sink in the order they were made.
/// </summary>
internal static class AlertDelivery
{
    /// <summary>Sends every waiting alert to the sinks that lack it, oldest first; stops at the first alert a sink refuses, so order holds.</summary>
    public static async Task<int> DeliverAsync(Outbox outbox, IReadOnlyList<IAlertSink> sinks, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var (path, entry) in await outbox.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var delivered = entry.DeliveredTo.ToList();
            var refused = new Dictionary<string, string>(entry.RefusedBy, StringComparer.Ordinal);
            var failed = false;
            foreach (var sink in sinks.Where(s => !delivered.Contains(s.Id) && !refused.ContainsKey(s.Id)))
            {
                try
                {
                    await sink.SendAsync(entry.Alert, cancellationToken).ConfigureAwait(false);
                    delivered.Add(sink.Id);
                    InfraDiffMetrics.AlertsSent.Add(1, new KeyValuePair<string, object?>("sink", sink.Id));
                }
                catch (AlertDeliveryException ex) when (ex.Permanent)
                {
                    // Refused for good: re-sending would block every later alert behind this one. Set aside, and said loudly.
                    refused[sink.Id] = ex.Message;
                    InfraDiffMetrics.AlertsFailed.Add(1, new("sink", sink.Id), new("outcome", "refused"));
                    InfraDiffLog.AlertRefused(logger, sink.Id, ex.Message, outbox.DeadDirectory);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One sink's failure never stops the others; the alert stays queued for this one.
                    failed = true;
                    InfraDiffMetrics.AlertsFailed.Add(1, new("sink", sink.Id), new("outcome", "failed"));
                    InfraDiffLog.AlertFailed(logger, sink.Id, ex.Message);
                }
            }

            await outbox.UpdateAsync(path, entry with { DeliveredTo = delivered, RefusedBy = refused }, complete: !failed, CancellationToken.None).ConfigureAwait(false);
            if (failed)
            {
                break;
            }
        }

        return outbox.Count;
    }
}
