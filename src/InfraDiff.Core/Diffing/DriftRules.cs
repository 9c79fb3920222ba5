namespace InfraDiff.Diffing;

/// <summary>The rules a drift report is built with: an operator's rules first, then infradiff's defaults.</summary>
public sealed record DriftRules
{
    /// <summary>Changes to ignore.</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>The operator's severity rules, tried in order before <see cref="DefaultSeverityRules"/>; the first match wins.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Changes below this severity are left out of the report and its patch.</summary>
    public Severity MinimumSeverity { get; init; } = InfraDiff.Severity.Low;

    /// <summary>infradiff's defaults, by meaning: the README's severity table, in the order they are tried.</summary>
    public static IReadOnlyList<SeverityRule> DefaultSeverityRules { get; } = DefaultSeverity.Rules;
}
