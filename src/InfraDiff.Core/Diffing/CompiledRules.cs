using System.Text.RegularExpressions;
using InfraDiff.Sections;

namespace InfraDiff.Diffing;

/// <summary>The rules compiled once per report.</summary>
internal sealed class CompiledRules
{
    private readonly (PointerGlob Glob, IgnoreRule Rule)[] ignore;
    private readonly CompiledSeverityRule[] operatorRules;
    private readonly SectionCatalog sections;
    // Per section: the operator's rules, then the section's own.
    private readonly Dictionary<string, CompiledSeverityRule[]> sectionRules = new(StringComparer.Ordinal);

    public CompiledRules(DriftRules rules, DateOnly today)
    {
        Minimum = rules.MinimumSeverity;
        var expired = rules.Ignore.Where(r => r.Expires is { } e && e < today).ToList();
        notices = expired.Select(r => $"ignore rule {r.Path} expired on {r.Expires:yyyy-MM-dd} and no longer applies").ToList();
        ignore = rules.Ignore.Except(expired).Select(r => (CompileIgnore(r.Path), r)).ToArray();
        operatorRules = rules.Severity.Select(Compile).ToArray();
        sections = new SectionCatalog(rules.Sections ?? []);
    }

    /// <summary>What each section means.</summary>
    public SectionCatalog Sections => sections;

    public Severity Minimum { get; }

    public IReadOnlyList<string> Notices => notices;

    private readonly List<string> notices;

    public bool IsIgnored(string path) => ignore.Any(r => r.Glob.Matches(path));

    /// <summary>
    /// The severity of the first rule that matches the change's path and kind and whose conditions hold, the operator's
    /// rules tried before its section's own; low when none does.
    /// </summary>
    public Severity SeverityOf(JsonChange change) => SeverityOf(change, JsonPointer.Parse(change.Path).FirstOrDefault() ?? "");

    /// <inheritdoc cref="SeverityOf(JsonChange)"/>
    /// <param name="change">The change.</param>
    /// <param name="section">The section it is in (its path's first key).</param>
    public Severity SeverityOf(JsonChange change, string section)
    {
        if (!sectionRules.TryGetValue(section, out var rules))
        {
            rules = sectionRules[section] = [.. operatorRules, .. sections[section].SeverityRules.Select(Compile)];
        }

        string? text = null;
        foreach (var rule in rules)
        {
            try
            {
                if (rule.Glob.Matches(change.Path)
                    && (rule.Ops.Count == 0 || rule.Ops.Contains(change.Kind))
                    && rule.When.All(c => c.Holds(change.Path, change.OldValue, change.NewValue))
                    && (rule.Value is null || rule.Value.IsMatch(text ??= ChangeDescriber.FullText(change.Kind == ChangeKind.Remove ? change.OldValue : change.NewValue))))
                {
                    return rule.Severity;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that backtracks without end is the rule's fault, not the cycle's: the rule is skipped for this change, and the report says so.
                var notice = $"severity rule {rule.Glob.Pattern}: a pattern took longer than 1 s on {change.Path}; the rule was skipped there";
                if (!notices.Contains(notice))
                {
                    notices.Add(notice);
                }
            }
        }

        return Severity.Low;
    }

    private static CompiledSeverityRule Compile(SeverityRule rule)
    {
        try
        {
            return new CompiledSeverityRule(
                new PointerGlob(rule.Path),
                rule.Op ?? [],
                (rule.When ?? []).Select(ValueCondition.Parse).ToArray(),
                rule.ValueMatches is null ? null : new Regex(rule.ValueMatches, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
                rule.Severity);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"invalid severity rule {rule.Path}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new InfraDiffException($"invalid valueMatches '{rule.ValueMatches}': {ex.Message}", ex);
        }
    }

    private static PointerGlob CompileIgnore(string pattern)
    {
        if (pattern is null || pattern.Trim('/', '*').Length == 0)
        {
            throw new InfraDiffException($"ignore rule path '{pattern}' would ignore all drift: name the section or value to ignore, e.g. /packages/*/version");
        }

        try
        {
            return new PointerGlob(pattern);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"invalid rule path: {ex.Message}", ex);
        }
    }

    private sealed record CompiledSeverityRule(PointerGlob Glob, IReadOnlyList<ChangeKind> Ops, ValueCondition[] When, Regex? Value, Severity Severity);
}
