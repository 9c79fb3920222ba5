using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;

namespace InfraDiff.Reporting;

/// <summary>One alert about one drift report, with the key a receiver uses to drop a duplicate delivery.</summary>
public sealed record DriftAlert
{
    private string? idempotencyKey;

    /// <summary>An alert about <paramref name="report"/>.</summary>
    /// <param name="idempotencyKey">Stable across re-sends of this alert.</param>
    /// <param name="host">The host that drifted.</param>
    /// <param name="time">When the later snapshot was taken.</param>
    /// <param name="report">What drifted.</param>
    [JsonConstructor]
    public DriftAlert(string idempotencyKey, string host, DateTimeOffset time, DriftReport report)
    {
        this.idempotencyKey = idempotencyKey;
        Host = host;
        Time = time;
        Report = report;
    }

    private DriftAlert(DriftReport report)
    {
        Host = report.After.Host;
        Time = report.After.TakenAt;
        Report = report;
    }

    /// <summary>Stable across re-sends of this alert: 32 lower-case hex digits.</summary>
    public string IdempotencyKey
    {
        get => idempotencyKey ??= KeyOf(Report);
        init => idempotencyKey = value;
    }

    /// <summary>The host that drifted.</summary>
    public string Host { get; init; }

    /// <summary>When the later snapshot was taken.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>What drifted.</summary>
    public DriftReport Report { get; init; }

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

    /// <summary>
    /// A report as an alert on its own (<c>infradiff diff</c>, <c>alert</c>): the later snapshot's host and time, keyed
    /// (when the key is first asked for) by what the report says: its two sides, and each change's kind, path, severity
    /// and summary, so sending the same report twice gives the same key.
    /// </summary>
    public static DriftAlert Of(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DriftAlert(report);
    }

    /// <inheritdoc />
    public bool Equals(DriftAlert? other) =>
        other is not null && IdempotencyKey == other.IdempotencyKey && Host == other.Host && Time == other.Time
        && Equals(Report, other.Report) && Equals(Journal, other.Journal) && Heartbeat == other.Heartbeat;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IdempotencyKey, Host, Time, Report, Journal, Heartbeat);

    private static string KeyOf(DriftReport report)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData("\0"u8);
        }

        Add($"{report.Before.Host}|{report.Before.TakenAt:O}|{report.After.Host}|{report.After.TakenAt:O}");
        foreach (var change in report.Changes)
        {
            Add($"{change.Kind}|{change.Path}|{change.Severity}|{change.Summary}");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
