namespace InfraDiff.Fleet;

/// <summary>How one host of a fleet run fared.</summary>
/// <param name="Host">The inventory host.</param>
/// <param name="SnapshotPath">Where its snapshot was written (its store directory's latest.json), or null when it failed.</param>
/// <param name="Failure">Why no snapshot came back (unreachable, refused key, host key mismatch, timeout, no space…), or null.</param>
/// <param name="Partial">The snapshot came back, but a collector on the host failed or timed out (the tool exited 3).</param>
/// <param name="Uploaded">The tool was copied to the host during this run (missing, or a different build).</param>
/// <param name="Elapsed">How long the host took.</param>
public sealed record FleetHostResult(InventoryHost Host, string? SnapshotPath, string? Failure, bool Partial, bool Uploaded, TimeSpan Elapsed)
{
    /// <summary>Whether a snapshot came back.</summary>
    public bool Succeeded => SnapshotPath is not null;
}
