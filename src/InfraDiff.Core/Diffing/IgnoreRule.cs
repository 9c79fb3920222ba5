namespace InfraDiff.Diffing;

/// <summary>Drops changes under a path from the report, until an optional expiry day.</summary>
/// <param name="Path">A JSON Pointer glob (see <see cref="PointerGlob"/>).</param>
/// <param name="Reason">Why the change is expected, for the next reader.</param>
/// <param name="Expires">The last day the rule applies; after it, the rule stops ignoring and the report says so.</param>
public sealed record IgnoreRule(string Path, string? Reason = null, DateOnly? Expires = null);
