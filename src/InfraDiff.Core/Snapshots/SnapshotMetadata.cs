namespace InfraDiff.Snapshots;

/// <summary>Where, when and by what a snapshot was taken, and how each collector fared.</summary>
public sealed record SnapshotMetadata(
    string Host,
    DateTimeOffset TakenAt,
    string Tool,
    IReadOnlyDictionary<string, CollectorReport> Collectors);
