using System.Text.Json.Serialization;

namespace InfraDiff.Diffing;

/// <summary>A section, or a part of one, that could not be compared, and why.</summary>
/// <param name="Category">The section.</param>
/// <param name="Reason">Why it was not compared.</param>
/// <param name="Part">The part of the section a collector reported unavailable ("kernel", "runtime"); null for the whole section.</param>
public sealed record UnknownSection(string Category, string Reason, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Part = null);
