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
