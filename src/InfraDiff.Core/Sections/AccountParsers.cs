using System.Globalization;

namespace InfraDiff.Sections;

/// <summary>One /etc/passwd line, without the password field (an "x" pointing at shadow on every modern host).</summary>
internal sealed record PasswdEntry(string Name, long Uid, long Gid, string Gecos, string Home, string Shell);

/// <summary>What /etc/shadow says of a password, never the hash itself.</summary>
internal sealed record ShadowEntry(string Status, string? LastChanged);

/// <summary>One /etc/group line.</summary>
internal sealed record GroupEntry(string Name, long Gid, IReadOnlyList<string> Members);

/// <summary>Parsers for passwd(5), shadow(5) and group(5): colon-separated, one entry a line; malformed lines are skipped.</summary>
internal static class AccountParsers
{
    public static IEnumerable<PasswdEntry> ParsePasswd(string text)
    {
        foreach (var fields in Lines(text, 7))
        {
            if (long.TryParse(fields[2], CultureInfo.InvariantCulture, out var uid) && long.TryParse(fields[3], CultureInfo.InvariantCulture, out var gid))
            {
                yield return new PasswdEntry(fields[0], uid, gid, fields[4], fields[5], fields[6]);
            }
        }
    }

    /// <summary>
    /// Reads each account's password status: "set" (a usable hash), "locked" (a hash behind "!", as passwd -l
    /// leaves it), "none" ("*", "!", "!!": no password can log in), or "empty" (no password at all: anyone can).
    /// The hash is read only to classify it and never leaves this method.
    /// </summary>
    public static Dictionary<string, ShadowEntry> ParseShadow(string text)
    {
        var entries = new Dictionary<string, ShadowEntry>(StringComparer.Ordinal);
        foreach (var fields in Lines(text, 3))
        {
            var hash = fields[1];
            var status = hash switch
            {
                "" => "empty",
                "*" or "!" or "!!" or "!*" => "none",
                _ when hash[0] == '!' => "locked",
                _ when hash[0] == '*' => "none",
                _ => "set",
            };
            entries[fields[0]] = new ShadowEntry(status, DaysToDate(fields[2]));
        }

        return entries;
    }

    public static IEnumerable<GroupEntry> ParseGroup(string text)
    {
        foreach (var fields in Lines(text, 4))
        {
            if (long.TryParse(fields[2], CultureInfo.InvariantCulture, out var gid))
            {
                var members = fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Array.Sort(members, StringComparer.Ordinal);
                yield return new GroupEntry(fields[0], gid, members);
            }
        }
    }

    /// <summary>shadow's last-change field counts days since 1970-01-01; 0 means "must change at next login".</summary>
    private static string? DaysToDate(string days) =>
        long.TryParse(days, CultureInfo.InvariantCulture, out var d) && d is > 0 and < 1_000_000
            ? DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static IEnumerable<string[]> Lines(string text, int minimumFields) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] != '#' && line[0] != '+' && line[0] != '-')
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= minimumFields && fields[0].Length > 0);

    /// <summary>User names by uid, as /etc/passwd gives them (the first entry of a uid wins, as getpwuid does).</summary>
    public static Dictionary<long, string> UserNames(string passwd) => ByFirstId(ParsePasswd(passwd).Select(e => (e.Uid, e.Name)));

    /// <summary>Group names by gid, as /etc/group gives them (the first entry of a gid wins).</summary>
    public static Dictionary<long, string> GroupNames(string group) => ByFirstId(ParseGroup(group).Select(e => (e.Gid, e.Name)));

    private static Dictionary<long, string> ByFirstId(IEnumerable<(long Id, string Name)> entries)
    {
        var names = new Dictionary<long, string>();
        foreach (var (id, name) in entries)
        {
            names.TryAdd(id, name);
        }

        return names;
    }
}
