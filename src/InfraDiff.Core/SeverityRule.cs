namespace InfraDiff;

/// <summary>
/// Gives changes under a path a severity, when the change is of one of <see cref="Op"/> (any, if empty) and every
/// condition in <see cref="When"/> holds on the structured old and new values; with <see cref="ValueMatches"/>, only
/// when the new (or removed) value matches.
/// </summary>
/// <param name="Path">A JSON Pointer glob.</param>
/// <param name="Severity">The severity to give.</param>
/// <param name="ValueMatches">A regular expression tried on the value as compact JSON (strings without quotes).</param>
public sealed record SeverityRule(string Path, Severity Severity, string? ValueMatches = null)
{
    /// <summary>The kinds of change the rule applies to (add, remove, replace); empty: every kind.</summary>
    public IReadOnlyList<ChangeKind> Op { get; init; } = [];

    /// <summary>
    /// Conditions that must all hold: "OPERAND OPERATOR LITERAL", where OPERAND is <c>old</c>, <c>new</c>,
    /// <c>old.field</c>, <c>new.field</c> (fields of an object value, dotted for nesting) or <c>path</c>, and OPERATOR
    /// is <c>==</c>, <c>!=</c>, <c>=~</c> / <c>!~</c> (regular expression matches / does not), <c>&amp;</c> / <c>!&amp;</c>
    /// (any / none of the octal bits set, for modes). A value that is absent equals nothing, matches nothing and has no bits.
    /// Example: <c>new.uid == 0</c>, <c>new.mode &amp; 4000</c>.
    /// </summary>
    public IReadOnlyList<string> When { get; init; } = [];

    /// <summary>A rule for <paramref name="path"/>, for the kinds <paramref name="op"/> (any, if empty), when every condition holds: how the sections declare theirs.</summary>
    internal static SeverityRule Of(string path, Severity severity, ChangeKind[]? op = null, params string[] when) =>
        new(path, severity) { Op = op ?? [], When = when };
}
