namespace InfraDiff.Diffing;

/// <summary>Which snapshot a side of the report is.</summary>
public sealed record SnapshotIdentity(string Host, DateTimeOffset TakenAt);
