using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>One host of a fleet against its own baseline.</summary>
/// <param name="Name">The inventory name.</param>
/// <param name="Status">Clean, drifted, baselined or failed.</param>
/// <param name="Reason">Why it failed, or null.</param>
/// <param name="Partial">A collector on the host failed or timed out: its snapshot is incomplete.</param>
/// <param name="Changes">Its changes since the baseline, most severe first.</param>
public sealed record FleetHostReport(string Name, FleetHostStatus Status, string? Reason, bool Partial, IReadOnlyList<DriftChange> Changes);
