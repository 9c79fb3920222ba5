using System.Text.Json;

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
