using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Diffing;

/// <summary>What changed between two snapshots: the changes with severity and summary, sections that could not be compared, and the RFC 6902 patch.</summary>
public sealed record DriftReport
{
    /// <summary>The earlier snapshot's host and time.</summary>
    public required SnapshotIdentity Before { get; init; }

    /// <summary>The later snapshot's host and time.</summary>
    public required SnapshotIdentity After { get; init; }

    /// <summary>Added, removed and changed counts per category (section).</summary>
    public required IReadOnlyDictionary<string, CategorySummary> Summary { get; init; }

    /// <summary>Every change, in patch order.</summary>
    public required IReadOnlyList<DriftChange> Changes { get; init; }

    /// <summary>Sections present on one side only because a collector did not succeed: not compared, not guessed.</summary>
    public required IReadOnlyList<UnknownSection> Unknown { get; init; }

    /// <summary>The sections present in both snapshots, so compared (some of their parts may still be in <see cref="Unknown"/>).</summary>
    public IReadOnlyList<string> Compared { get; init; } = [];

    /// <summary>Things the reader should know about the rules themselves (an expired ignore rule).</summary>
    public required IReadOnlyList<string> Notices { get; init; }

    /// <summary>Whether anything drifted.</summary>
    public bool HasDrift => Changes.Count > 0;

    /// <summary>
    /// The RFC 6902 patch: applied in order to the earlier snapshot, it yields the later one (metadata, ignored
    /// paths, unknown sections and changes below the minimum severity aside). Each replace and remove is preceded
    /// by a test of the old value.
    /// </summary>
    /// <remarks>Derived from <see cref="Changes"/> on each read, so a copy made with <c>with</c> never carries a stale patch.</remarks>
    public IReadOnlyList<PatchOperation> Patch => JsonDiffer.ToPatch(Changes.Select(c => new JsonChange(c.Op, c.Path, c.OldValue, c.NewValue)));
}

/// <summary>Which snapshot a side of the report is.</summary>
public sealed record SnapshotIdentity(string Host, DateTimeOffset TakenAt);

/// <summary>One change.</summary>
/// <param name="Category">The section it is in.</param>
/// <param name="Op">add, remove or replace.</param>
/// <param name="Path">The RFC 6901 pointer to the value.</param>
/// <param name="OldValue">The value before (absent for add).</param>
/// <param name="NewValue">The value after (absent for remove).</param>
/// <param name="Severity">From the severity rules.</param>
/// <param name="Summary">One line naming the thing as an operator would ("package openssl: 3.0.11 → 3.0.13").</param>
public sealed record DriftChange(
    string Category,
    ChangeKind Op,
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement OldValue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] JsonElement NewValue,
    Severity Severity,
    string Summary)
{
    /// <summary>The package change that accounts for this file change ("package coreutils 9.1-1 → 9.1-1+deb12u1"), when one does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExplainedBy { get; init; }
}

/// <summary>Counts of one category's changes.</summary>
public sealed record CategorySummary(int Added, int Removed, int Changed)
{
    /// <summary>"1 added, 0 removed, 2 changed": how every report and alert says it.</summary>
    internal string Counts => $"{Added} added, {Removed} removed, {Changed} changed";
}

/// <summary>A section, or a part of one, that could not be compared, and why.</summary>
/// <param name="Category">The section.</param>
/// <param name="Reason">Why it was not compared.</param>
/// <param name="Part">The part of the section a collector reported unavailable ("kernel", "runtime"); null for the whole section.</param>
public sealed record UnknownSection(string Category, string Reason, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Part = null);
