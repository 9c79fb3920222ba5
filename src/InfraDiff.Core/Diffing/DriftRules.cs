using InfraDiff.Pipeline;
using InfraDiff.Sections;

namespace InfraDiff.Diffing;

/// <summary>The rules a drift report is built with: an operator's rules first, then infradiff's defaults.</summary>
public sealed record DriftRules
{
    /// <summary>Changes to ignore.</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>The operator's severity rules, tried in order before <see cref="DefaultSeverityRules"/>; the first match wins.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Changes let through without an alert until a day (<see cref="Waiver"/>): the report lists them apart.</summary>
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];

    /// <summary>Changes below this severity are left out of the report and its patch.</summary>
    public Severity MinimumSeverity { get; init; } = InfraDiff.Severity.Low;

    /// <summary>
    /// What the sections of custom collectors mean, besides the built-in sections (one of the same name takes a
    /// built-in's place): their nouns, default severities and parts. A <see cref="Monitoring.DriftMonitor"/> adds those of its collectors itself.
    /// </summary>
    public IReadOnlyList<SectionDescriptor> Sections { get; init; } = [];

    /// <summary>infradiff's defaults, by meaning, each built-in section's in turn: the README's severity table, in the order they are tried.</summary>
    public static IReadOnlyList<SeverityRule> DefaultSeverityRules { get; } = [.. BuiltInSections.Descriptors.SelectMany(s => s.SeverityRules)];
}
