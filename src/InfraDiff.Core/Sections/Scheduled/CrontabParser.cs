using System.Text.RegularExpressions;
using InfraDiff.Redaction;

namespace InfraDiff.Sections.Scheduled;

/// <summary>A crontab's jobs, in file order, and its variable assignments.</summary>
internal sealed record Crontab(IReadOnlyList<string> Entries, SortedDictionary<string, string>? Variables);

/// <summary>Parses crontab(5) text: system crontabs carry a user field after the schedule, per-user crontabs do not.</summary>
internal static partial class CrontabParser
{
    /// <summary>Variables whose values are configuration, not credentials, and are kept; any other value is masked.</summary>
    public static IReadOnlySet<string> PlainVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "CRON_TZ", "HOME", "LANG", "LC_ALL", "LOGNAME", "MAILFROM", "MAILTO", "PATH", "RANDOM_DELAY", "SHELL", "START_HOURS_RANGE", "TZ",
    };

    /// <summary>
    /// Each job becomes one line with the schedule (and user) fields joined by single spaces and the command
    /// trimmed, URL credentials and query strings redacted; comments and blank lines are dropped.
    /// </summary>
    public static Crontab Parse(string text, bool hasUserField)
    {
        var entries = new List<string>();
        SortedDictionary<string, string>? variables = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (Assignment().Match(line) is { Success: true } assignment)
            {
                var name = assignment.Groups["name"].Value;
                variables ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
                variables[name] = PlainVariables.Contains(name) ? Unquote(assignment.Groups["value"].Value.Trim()) : SecretRedactor.Mask;
                continue;
            }

            var scheduleFields = (line[0] == '@' ? 1 : 5) + (hasUserField ? 1 : 0);
            var fields = line.Split((char[])[' ', '\t'], scheduleFields + 1, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < scheduleFields + 1)
            {
                continue;
            }

            entries.Add(string.Join(' ', fields[..scheduleFields]) + " " + SecretRedactor.RedactCommand(fields[^1].Trim()));
        }

        return new Crontab(entries, variables);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?<value>.*)$")]
    private static partial Regex Assignment();
}
