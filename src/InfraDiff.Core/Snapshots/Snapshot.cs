using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Snapshots;

/// <summary>One host's state at one moment: metadata plus one JSON section per collector that succeeded.</summary>
/// <param name="SchemaVersion">The snapshot format version; this library reads and writes <see cref="CurrentSchemaVersion"/>.</param>
/// <param name="Metadata">Where, when and how the snapshot was taken; excluded from drift.</param>
/// <param name="Sections">Each collector's section, keyed by the collector's name.</param>
public sealed record Snapshot(int SchemaVersion, SnapshotMetadata Metadata, IReadOnlyDictionary<string, JsonElement> Sections)
{
    /// <summary>The schema version this library writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The top-level keys that are not sections.</summary>
    public static IReadOnlySet<string> ReservedKeys { get; } = new HashSet<string>(StringComparer.Ordinal) { "schemaVersion", "metadata" };
}

/// <summary>Where, when and by what a snapshot was taken, and how each collector fared.</summary>
public sealed record SnapshotMetadata(
    string Host,
    DateTimeOffset TakenAt,
    string Tool,
    IReadOnlyDictionary<string, CollectorReport> Collectors);

/// <summary>How one collector fared.</summary>
/// <param name="Status">Whether its section is in the snapshot.</param>
/// <param name="DurationMs">How long it ran.</param>
/// <param name="Reason">Why it has no section, when it has none.</param>
/// <param name="Unavailable">Parts of a section that do not exist here (part → reason), while the rest was collected.</param>
/// <param name="Failed">Parts of a section that exist but could not be read (a tool that failed, a file that is not a regular file), while the rest was collected; never compared, and a snapshot with any is partial.</param>
public sealed record CollectorReport(
    CollectorStatus Status,
    long? DurationMs = null,
    string? Reason = null,
    IReadOnlyDictionary<string, string>? Unavailable = null,
    IReadOnlyDictionary<string, string>? Failed = null);

/// <summary>The outcome of one collector.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CollectorStatus>))]
public enum CollectorStatus
{
    /// <summary>The section was collected.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The collector threw; no section.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The collector ran past its timeout; no section.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>The source does not exist on this host (no tool, no engine); no section, and not a failure.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}
