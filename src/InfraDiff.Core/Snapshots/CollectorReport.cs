namespace InfraDiff.Snapshots;

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
