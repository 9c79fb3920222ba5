using System.Text.RegularExpressions;

namespace InfraDiff.Sections.Services;

/// <summary>A unit file's enablement: "enabled", "disabled", "static", "masked", …, and its vendor preset where systemd prints one.</summary>
internal sealed record UnitFileState(string State, string? Preset);

/// <summary>A loaded unit's runtime state.</summary>
internal sealed record UnitRuntimeState(string Load, string Active, string Sub);

/// <summary>Parses systemctl's plain, legend-less list of loaded units (columns separated by runs of spaces).</summary>
internal static partial class SystemctlParser
{
    /// <summary>Parses <c>systemctl list-units --all --plain --no-legend --full</c>: "UNIT LOAD ACTIVE SUB DESCRIPTION…".</summary>
    public static SortedDictionary<string, UnitRuntimeState> ParseUnits(string text)
    {
        var units = new SortedDictionary<string, UnitRuntimeState>(StringComparer.Ordinal);
        foreach (var fields in Rows(text))
        {
            // Older systemd marks failed units with a leading "●" column even with --plain on some versions.
            var row = fields.Length > 0 && fields[0] is "●" or "*" ? fields[1..] : fields;
            if (row.Length < 4 || !UnitName().IsMatch(row[0]) || !StateWord().IsMatch(row[1]) || !StateWord().IsMatch(row[2]) || !StateWord().IsMatch(row[3]))
            {
                throw new FormatException($"not systemctl list-units output: {Excerpt.Cut(string.Join(' ', row))}");
            }

            units[row[0]] = new UnitRuntimeState(row[1], row[2], row[3]);
        }

        return units;
    }

    // systemd.unit(5): a name, an optional instance after '@', and one of the unit types.
    [GeneratedRegex(@"^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$")]
    private static partial Regex UnitName();

    // Enablement, load, active and sub states are lower-case words with dashes ("enabled-runtime", "not-found").
    [GeneratedRegex("^[a-z][a-z-]*$")]
    private static partial Regex StateWord();

    private static IEnumerable<string[]> Rows(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 0);
}
