using InfraDiff.Diffing;

namespace InfraDiff.Reporting;

/// <summary>One line a person reads: a change, or every change one package accounts for, told with that package.</summary>
/// <param name="Change">The change the line is about (for a package's files told on their own, the first of them).</param>
/// <param name="Summary">What the line says.</param>
/// <param name="Count">How many changes the line stands for.</param>
internal sealed record ReportLine(DriftChange Change, string Summary, int Count)
{
    /// <summary>The changes a package accounts for that this line tells (empty for a line about one change).</summary>
    public IReadOnlyList<DriftChange> Explained { get; init; } = [];

    /// <summary>Where the line stands among the report's changes: its change's place in patch order.</summary>
    public int Order { get; init; }
}
