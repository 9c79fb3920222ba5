using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Diffing;

/// <summary>One change.</summary>
/// <param name="Category">The section it is in.</param>
/// <param name="Kind">add, remove or replace (written as "op", as in the patch).</param>
/// <param name="Path">The RFC 6901 pointer to the value.</param>
/// <param name="OldValue">The value before (absent for add).</param>
/// <param name="NewValue">The value after (absent for remove).</param>
/// <param name="Severity">From the severity rules.</param>
/// <param name="Summary">One line naming the thing as an operator would ("package openssl: 3.0.11 → 3.0.13").</param>
public sealed record DriftChange(
    string Category,
    [property: JsonPropertyName("op")] ChangeKind Kind,
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement OldValue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement NewValue,
    Severity Severity,
    string Summary)
{
    /// <summary>
    /// The change's short stable name, ten hex digits from its kind, path and values (never its severity or summary):
    /// the same in every report format, and what <c>infradiff accept</c> takes.
    /// </summary>
    [JsonPropertyOrder(-1)]
    public string Id { get; init; } = ChangeId.Of(Kind, Path, OldValue, NewValue);

    /// <summary>The package change that accounts for this file change ("package coreutils 9.1-1 → 9.1-1+deb12u1"), when one does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExplainedBy { get; init; }

    /// <summary>
    /// The path of the change whose report line tells this one too, when both are fields of one event (a unit's active
    /// and sub states: <see cref="Sections.SectionDescriptor.EventFields"/>); the patch keeps each.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToldWith { get; init; }

    /// <summary>The path of the change that accounts for this one, when one does: the package's ("/packages/coreutils"), so a report tells the two as one line.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExplainedByPath { get; init; }

    /// <summary>Who made the change, when real-time watching saw the write (<see cref="Monitoring.DriftMonitorOptions.Realtime"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ChangeActor? By { get; init; }
}
