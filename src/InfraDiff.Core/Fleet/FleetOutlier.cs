using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>A value on which one host differs from every sibling in its group, while the siblings agree.</summary>
/// <param name="Host">The host that differs.</param>
/// <param name="Group">The inventory group whose hosts were compared.</param>
/// <param name="Change">From the siblings' value (before) to the host's (after).</param>
/// <param name="Siblings">The hosts that agree with each other.</param>
public sealed record FleetOutlier(string Host, string Group, DriftChange Change, IReadOnlyList<string> Siblings);
