using System.Text.RegularExpressions;
using InfraDiff.Sections;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>The rules compiled once per report.</summary>
internal sealed class CompiledRules
{
    private readonly (PointerGlob Glob, IgnoreRule Rule)[] ignore;
    private readonly CompiledSeverityRule[] operatorRules;
    private readonly SectionCatalog sections;
    // Per section: the operator's rules, then the section's own.
    private readonly Dictionary<string, CompiledSeverityRule[]> sectionRules = new(StringComparer.Ordinal);

    /// <param name="rules">The rules.</param>
    /// <param name="today">The day expiries are read against.</param>
    /// <param name="present">The sections the compared snapshots hold, besides the declared ones: a rule whose path starts with none of them is a file's path.</param>
    public CompiledRules(DriftRules rules, DateOnly today, IEnumerable<string>? present = null)
    {
        Minimum = rules.MinimumSeverity;
        sections = new SectionCatalog(rules.Sections ?? []);
        var known = new HashSet<string>(present ?? [], StringComparer.Ordinal);
        isSection = name => known.Contains(name) || sections.Declares(name);
        var expired = rules.Ignore.Where(r => r.Expires is { } e && e < today).ToList();
        notices = expired.Select(r => $"ignore rule {r.Path} expired on {r.Expires:yyyy-MM-dd} and no longer applies").ToList();
        ignore = rules.Ignore.Except(expired).Select(r => (CompileIgnore(r.Path), r)).ToArray();
        ignoring = new bool[ignore.Length];
        operatorRules = rules.Severity.Select(r => Compile(r, operatorRule: true)).ToArray();
        waivers = (rules.Waivers ?? []).Select((w, i) => CompileWaiver(w, i + 1, today)).ToArray();
    }

    private readonly (PointerGlob Glob, ValueCondition[] When, Waiver Waiver, bool Expired)[] waivers;

    private readonly Func<string, bool> isSection;
    private readonly bool[] ignoring;

    /// <summary>What each section means.</summary>
    public SectionCatalog Sections => sections;

    public Severity Minimum { get; }

    public IReadOnlyList<string> Notices => notices;

    private readonly List<string> notices;

    public bool IsIgnored(string path)
    {
        for (var i = 0; i < ignore.Length; i++)
        {
            if (ignore[i].Glob.Matches(path))
            {
                ignoring[i] = true;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Tells, once per rule, each ignore rule that ignored no change and whose path names nothing in either snapshot:
    /// a path written in a form it does not mean ("/files/~1root~1.npm/**") is otherwise silent for ever.
    /// </summary>
    public void NoteRulesThatMatchNothing(SnapshotPair pair)
    {
        for (var i = 0; i < ignore.Length; i++)
        {
            if (!ignoring[i] && !RuleReach.Reaches(ignore[i].Glob, pair))
            {
                notices.Add($"ignore rule {ignore[i].Rule.Path} matches nothing in either snapshot (a file is named by its path, /etc/ssh/**, or by its pointer, /files/~1etc~1ssh~1**)");
            }
        }
    }

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
            rules = sectionRules[section] = [.. operatorRules, .. sections[section].SeverityRules.Select(r => Compile(r, operatorRule: false))];
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

    /// <summary>The first waiver whose path and conditions match the change, and whether it has expired; null when none does.</summary>
    public (Waiver Waiver, bool Expired)? WaiverOf(DriftChange change)
    {
        foreach (var (glob, when, waiver, expired) in waivers)
        {
            if (glob.Matches(change.Path) && when.All(c => c.Holds(change.Path, change.OldValue, change.NewValue)))
            {
                return (waiver, expired);
            }
        }

        return null;
    }

    /// <summary>A waiver checked (a reason and an expiry are required) and compiled; one expired or expiring within a week is noticed.</summary>
    private (PointerGlob, ValueCondition[], Waiver, bool) CompileWaiver(Waiver waiver, int number, DateOnly today)
    {
        var name = $"waiver {number} ({waiver.Path})";
        if (string.IsNullOrWhiteSpace(waiver.Reason))
        {
            throw new InfraDiffException($"{name}: 'reason' is required (why these changes are expected)");
        }

        if (waiver.Expires is not { } expires)
        {
            throw new InfraDiffException($"{name}: 'expires' is required (the last day it applies, yyyy-MM-dd; a change expected for ever is an ignore rule)");
        }

        var expired = expires < today;
        if (expired)
        {
            notices.Add($"waiver {waiver.Path} expired on {expires:yyyy-MM-dd}: its changes alert again");
        }
        else if (expires.DayNumber - today.DayNumber < Waiver.WarningDays)
        {
            var left = expires.DayNumber - today.DayNumber;
            notices.Add($"waiver {waiver.Path} expires on {expires:yyyy-MM-dd} ({(left == 0 ? "today" : left == 1 ? "tomorrow" : $"in {left} days")}): renew it, or its changes alert");
        }

        try
        {
            return (PointerGlob.ForRule(waiver.Path, isSection), (waiver.When ?? []).Select(ValueCondition.Parse).ToArray(), waiver, expired);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"{name}: {ex.Message}", ex);
        }
    }

    /// <summary>An operator's rule may name a file by its path; a section's own rules are pointers.</summary>
    private CompiledSeverityRule Compile(SeverityRule rule, bool operatorRule)
    {
        try
        {
            return new CompiledSeverityRule(
                operatorRule ? PointerGlob.ForRule(rule.Path, isSection) : new PointerGlob(rule.Path),
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

    private PointerGlob CompileIgnore(string pattern)
    {
        if (pattern is null || pattern.Trim('/', '*').Length == 0)
        {
            throw new InfraDiffException($"ignore rule path '{pattern}' would ignore all drift: name the section or value to ignore, e.g. /packages/*/version");
        }

        try
        {
            return PointerGlob.ForRule(pattern, isSection);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"invalid rule path: {ex.Message}", ex);
        }
    }

    private sealed record CompiledSeverityRule(PointerGlob Glob, IReadOnlyList<ChangeKind> Ops, ValueCondition[] When, Regex? Value, Severity Severity);
}
