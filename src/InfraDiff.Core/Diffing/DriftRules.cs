using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace InfraDiff.Diffing;

/// <summary>How much a change matters.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Worth a look.</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Software and service changes.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium,

    /// <summary>Who can log in or reach the host, and what runs as root.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>A new way to be root.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical,
}

/// <summary>Drops changes under a path from the report, until an optional expiry day.</summary>
/// <param name="Path">A JSON Pointer glob (see <see cref="PointerGlob"/>).</param>
/// <param name="Reason">Why the change is expected, for the next reader.</param>
/// <param name="Expires">The last day the rule applies; after it, the rule stops ignoring and the report says so.</param>
public sealed record IgnoreRule(string Path, string? Reason = null, DateOnly? Expires = null);

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
}

/// <summary>The rules a drift report is built with: an operator's rules first, then infradiff's defaults.</summary>
public sealed record DriftRules
{
    /// <summary>Changes to ignore.</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>The operator's severity rules, tried in order before <see cref="DefaultSeverityRules"/>; the first match wins.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Changes below this severity are left out of the report and its patch.</summary>
    public Severity MinimumSeverity { get; init; } = Diffing.Severity.Low;

    /// <summary>infradiff's defaults, by meaning: the README's severity table, in the order they are tried.</summary>
    public static IReadOnlyList<SeverityRule> DefaultSeverityRules { get; } = DefaultSeverity.Rules;
}

/// <summary>The rules compiled once per report.</summary>
internal sealed class CompiledRules
{
    private readonly (PointerGlob Glob, IgnoreRule Rule)[] ignore;
    private readonly CompiledSeverityRule[] severity;

    public CompiledRules(DriftRules rules, DateOnly today)
    {
        Minimum = rules.MinimumSeverity;
        var expired = rules.Ignore.Where(r => r.Expires is { } e && e < today).ToList();
        notices = expired.Select(r => $"ignore rule {r.Path} expired on {r.Expires:yyyy-MM-dd} and no longer applies").ToList();
        ignore = rules.Ignore.Except(expired).Select(r => (CompileIgnore(r.Path), r)).ToArray();
        severity = rules.Severity.Concat(DriftRules.DefaultSeverityRules).Select(Compile).ToArray();
    }

    public Severity Minimum { get; }

    public IReadOnlyList<string> Notices => notices;

    private readonly List<string> notices;

    public bool IsIgnored(string path) => ignore.Any(r => r.Glob.Matches(path));

    /// <summary>The severity of the first rule that matches the change's path and kind and whose conditions hold; low when none does.</summary>
    public Severity SeverityOf(JsonChange change)
    {
        string? text = null;
        foreach (var rule in severity)
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
