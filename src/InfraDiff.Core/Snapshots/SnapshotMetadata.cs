namespace InfraDiff.Snapshots;

/// <summary>Where, when and by what a snapshot was taken, and how each collector fared.</summary>
public sealed record SnapshotMetadata(
    string Host,
    DateTimeOffset TakenAt,
    string Tool,
    IReadOnlyDictionary<string, CollectorReport> Collectors)
{
    /// <summary>In a baseline: the changes accepted into it one by one (<c>infradiff accept</c>), oldest first; null in a snapshot as taken.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Acceptance>? Acceptances { get; init; }
}
