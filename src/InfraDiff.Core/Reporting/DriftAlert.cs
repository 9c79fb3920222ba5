using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>One alert about one drift report, with the key a receiver uses to drop a duplicate delivery.</summary>
/// <param name="IdempotencyKey">Stable across re-sends of this alert.</param>
/// <param name="Host">The host that drifted.</param>
/// <param name="Time">When the later snapshot was taken.</param>
/// <param name="Report">What drifted.</param>
public sealed record DriftAlert(string IdempotencyKey, string Host, DateTimeOffset Time, DriftReport Report)
{
    /// <summary>
    /// The store journal's sequence number and head hash when the alert was made (watch only): a receiver that
    /// remembers the last one sees a rollback (a lower number, or the same number with another head) or a gap.
    /// </summary>
    public JournalHead? Journal { get; init; }

    /// <summary>
    /// A heartbeat, not a drift: it carries no change, only the journal's head, so a receiver notices a watcher that
    /// stopped (no heartbeat) or a store rolled back. Only the generic format and the stdout sink deliver it; chat
    /// and email sinks skip it, as they never post an alert without a change.
    /// </summary>
    public bool Heartbeat { get; init; }

    /// <summary>A report as an alert on its own (<c>infradiff diff</c>, <c>alert</c>): the later snapshot's host and time, keyed by the report's content.</summary>
    public static DriftAlert Of(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DriftAlert(IdempotencyKeys.From(JsonSerializer.SerializeToUtf8Bytes(report, SnapshotJson.Options)), report.After.Host, report.After.TakenAt, report);
    }
}
