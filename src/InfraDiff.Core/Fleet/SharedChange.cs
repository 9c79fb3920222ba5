using InfraDiff.Diffing;

namespace InfraDiff.Fleet;

/// <summary>The same change (same path, same values before and after) on several hosts, reported once.</summary>
/// <param name="Change">The change, as found on the first of them.</param>
/// <param name="Hosts">The hosts it was found on.</param>
/// <param name="Without">The hosts compared that do not have it ("web07, web12 not").</param>
public sealed record SharedChange(DriftChange Change, IReadOnlyList<string> Hosts, IReadOnlyList<string> Without);
