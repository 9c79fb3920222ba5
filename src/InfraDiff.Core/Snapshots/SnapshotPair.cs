namespace InfraDiff.Snapshots;

/// <summary>Two snapshots read to be compared, and their files sections as text when both are objects.</summary>
/// <param name="Before">The earlier snapshot.</param>
/// <param name="After">The later snapshot.</param>
/// <param name="Files">When set, the snapshots' own files sections are "{}": these are the sections.</param>
internal sealed record SnapshotPair(Snapshot Before, Snapshot After, (SectionText Before, SectionText After)? Files);
