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

/// <summary>Gives changes under a path a severity; with <see cref="ValueMatches"/>, only when the new (or removed) value matches.</summary>
/// <param name="Path">A JSON Pointer glob.</param>
/// <param name="Severity">The severity to give.</param>
/// <param name="ValueMatches">A regular expression tried on the value as compact JSON (strings without quotes).</param>
public sealed record SeverityRule(string Path, Severity Severity, string? ValueMatches = null);

/// <summary>The rules a drift report is built with: an operator's rules first, then infradiff's defaults.</summary>
public sealed record DriftRules
{
    /// <summary>Changes to ignore.</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>The operator's severity rules, tried in order before <see cref="DefaultSeverityRules"/>; the first match wins.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Changes below this severity are left out of the report and its patch.</summary>
    public Severity MinimumSeverity { get; init; } = Diffing.Severity.Low;

    /// <summary>
    /// infradiff's defaults: an account given uid 0 is critical; setuid/setgid and world-writable files, accounts,
    /// sudoers, privileged groups, authorized keys, cron, security sysctls, listening sockets and firewall rules are high;
    /// packages, services, timers, kernel, modules, mounts, Docker and files are medium; the rest is low.
    /// </summary>
    public static IReadOnlyList<SeverityRule> DefaultSeverityRules { get; } =
    [
        new("/users/accounts/*/uid", Diffing.Severity.Critical, "^0$"),
        new("/users/accounts/*", Diffing.Severity.Critical, "\"uid\":0[,}]"),
        new("/files/*/mode", Diffing.Severity.High, "^[2-7][0-7]{3}$|^[0-7]{3}[2367]$"),
        new("/files/*", Diffing.Severity.High, "\"mode\":\"(?:[2-7][0-7]{3}|[0-7]{3}[2367])\""),
        new("/users/accounts", Diffing.Severity.High),
        new("/users/sudoers", Diffing.Severity.High),
        new("/users/groups/root", Diffing.Severity.High),
        new("/users/groups/sudo", Diffing.Severity.High),
        new("/users/groups/wheel", Diffing.Severity.High),
        new("/users/groups/admin", Diffing.Severity.High),
        new("/users/groups/adm", Diffing.Severity.High),
        new("/users/groups/docker", Diffing.Severity.High),
        new("/users/groups/shadow", Diffing.Severity.High),
        new("/users/groups/disk", Diffing.Severity.High),
        new("/users", Diffing.Severity.Medium),
        new("/scheduled/cron", Diffing.Severity.High),
        new("/scheduled/scripts", Diffing.Severity.High),
        new("/scheduled", Diffing.Severity.Medium),
        new("/os/sysctls", Diffing.Severity.High),
        new("/os", Diffing.Severity.Medium),
        new("/network/listening", Diffing.Severity.High),
        new("/network/firewall", Diffing.Severity.High),
        new("/network", Diffing.Severity.Medium),
        new("/packages", Diffing.Severity.Medium),
        new("/services", Diffing.Severity.Medium),
        new("/docker/containers/*/privileged", Diffing.Severity.High),
        new("/docker/containers/*/capAdd", Diffing.Severity.High),
        new("/docker", Diffing.Severity.Medium),
        new("/files/*/sha256", Diffing.Severity.Medium),
        new("/files", Diffing.Severity.Medium),
    ];
}

/// <summary>The rules compiled once per report.</summary>
internal sealed class CompiledRules
{
    private readonly (PointerGlob Glob, IgnoreRule Rule)[] ignore;
    private readonly (PointerGlob Glob, Regex? Value, Severity Severity)[] severity;

    public CompiledRules(DriftRules rules, DateOnly today)
    {
        Minimum = rules.MinimumSeverity;
        var expired = rules.Ignore.Where(r => r.Expires is { } e && e < today).ToList();
        Notices = expired.Select(r => $"ignore rule {r.Path} expired on {r.Expires:yyyy-MM-dd} and no longer applies").ToList();
        ignore = rules.Ignore.Except(expired).Select(r => (Compile(r.Path), r)).ToArray();
        severity = rules.Severity.Concat(DriftRules.DefaultSeverityRules)
            .Select(r => (Compile(r.Path), r.ValueMatches is null ? null : CompileRegex(r.ValueMatches), r.Severity))
            .ToArray();
    }

    public Severity Minimum { get; }

    public IReadOnlyList<string> Notices { get; }

    public bool IsIgnored(string path) => ignore.Any(r => r.Glob.Matches(path));

    public Severity SeverityOf(string path, Func<string> valueText)
    {
        string? text = null;
        foreach (var (glob, value, result) in severity)
        {
            if (glob.Matches(path) && (value is null || value.IsMatch(text ??= valueText())))
            {
                return result;
            }
        }

        return Severity.Low;
    }

    private static PointerGlob Compile(string pattern)
    {
        try
        {
            return new PointerGlob(pattern);
        }
        catch (FormatException ex)
        {
            throw new InfraDiffException($"invalid rule path: {ex.Message}", ex);
        }
    }

    private static Regex CompileRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new InfraDiffException($"invalid valueMatches '{pattern}': {ex.Message}", ex);
        }
    }
}
