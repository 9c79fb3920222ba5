using System.Globalization;

namespace InfraDiff.Fleet;

/// <summary>Ansible's host ranges: web[01:20] is web01…web20 (leading zeros kept), db-[a:f] is db-a…db-f, [1:9:2] steps by 2.</summary>
internal static class HostRanges
{
    /// <summary>The most hosts one pattern may expand to: a typo like [1:99999999] fails instead of filling memory.</summary>
    public const int MaxHosts = 100_000;

    /// <exception cref="FormatException">The range is malformed, runs backwards, mixes letters and numbers, or is too large.</exception>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        var open = pattern.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : pattern.IndexOf(']', open);
        if (open < 0 || close < 0 || !pattern.AsSpan(open, close - open).Contains(':'))
        {
            return [pattern];
        }

        var parts = pattern[(open + 1)..close].Split(':');
        if (parts.Length is not (2 or 3) || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new FormatException($"'{Excerpt.Cut(pattern)}': a range is [start:end] or [start:end:step]");
        }

        var step = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
        {
            throw new FormatException($"'{Excerpt.Cut(pattern)}': the step of a range is a positive number");
        }

        var values = new List<string>();
        if (long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first) && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            // Ansible pads to the start's width only when it has a leading zero (web[01:10]); web[1:10] is not padded.
            var width = parts[0].Length > 1 && parts[0][0] == '0' ? parts[0].Length : 0;
            Check(pattern, first, last, step);
            for (var value = first; value <= last; value += step)
            {
                values.Add(value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            }
        }
        else if (parts[0].Length == 1 && parts[1].Length == 1 && char.IsAsciiLetter(parts[0][0]) && char.IsAsciiLetter(parts[1][0]))
        {
            Check(pattern, parts[0][0], parts[1][0], step);
            for (var letter = parts[0][0]; letter <= parts[1][0]; letter = (char)(letter + step))
            {
                values.Add(letter.ToString());
            }
        }
        else
        {
            throw new FormatException($"'{Excerpt.Cut(pattern)}': a range runs between two numbers or two letters");
        }

        var expanded = new List<string>();
        foreach (var value in values)
        {
            // The rest of the pattern may hold a range of its own (rack[1:2]-node[a:c]).
            expanded.AddRange(Expand(string.Concat(pattern.AsSpan(0, open), value, pattern.AsSpan(close + 1))));
            if (expanded.Count > MaxHosts)
            {
                throw new FormatException($"'{Excerpt.Cut(pattern)}' expands to more than {MaxHosts} hosts");
            }
        }

        return expanded;
    }

    private static void Check(string pattern, long first, long last, int step)
    {
        if (last < first)
        {
            throw new FormatException($"'{Excerpt.Cut(pattern)}': the range ends before it starts");
        }

        if ((last - first) / step >= MaxHosts)
        {
            throw new FormatException($"'{Excerpt.Cut(pattern)}' expands to more than {MaxHosts} hosts");
        }
    }
}
