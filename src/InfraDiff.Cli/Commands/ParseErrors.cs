using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace InfraDiff.Cli.Commands;

/// <summary>
/// What was wrong with a command line, every problem on a line of its own, a mistyped command or option with the
/// nearest real one ("unknown command 'dif': did you mean 'diff'?").
/// </summary>
internal static partial class ParseErrors
{
    public static IReadOnlyList<string> Describe(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var lines = new List<string>();
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        var afterUnknownOption = false;
        var commandTypo = false;
        foreach (var token in result.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                lines.Add(Unknown("option", token, command.Options.Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive))).SelectMany(o => o.Aliases.Prepend(o.Name))));
                afterUnknownOption = true;
            }
            else if (!afterUnknownOption && !commandTypo && command.Subcommands.Count > 0)
            {
                // The first stray word where a command was expected is the mistyped command; the rest are its arguments.
                lines.Add(Unknown("command", token, command.Subcommands.Select(c => c.Name)));
                commandTypo = true;
            }
            else if (!afterUnknownOption && !commandTypo)
            {
                lines.Add($"unexpected argument '{token}'");
            }
            else
            {
                afterUnknownOption = false;
            }

            unknown.Add(token);
        }

        foreach (var error in result.Errors)
        {
            var message = string.Join(' ', error.Message.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            var aboutUnmatched = unknown.Any(t => message == $"Unrecognized command or argument '{t}'.");
            var missingCommand = commandTypo && message == "Required command was not provided.";
            if (!aboutUnmatched && !missingCommand)
            {
                lines.Add(Choice().Match(message) is { Success: true } choice && OptionOf(error) is { } option
                    ? $"{option}: '{choice.Groups[1].Value}' is not one of {string.Join(", ", choice.Groups[2].Value.Split('\'', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(v => v.Length > 0))}"
                    : message);
            }
        }

        return lines;
    }

    private static string? OptionOf(ParseError error) => error.SymbolResult switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult { Parent: OptionResult option } => option.Option.Name,
        _ => null,
    };

    [GeneratedRegex(@"^Argument '(.*)' not recognized\. Must be one of: (.*)$")]
    private static partial Regex Choice();

    private static IEnumerable<Command> Ancestors(Command command) =>
        command.Parents.OfType<Command>().SelectMany(parent => Ancestors(parent).Prepend(parent));

    private static string Unknown(string kind, string token, IEnumerable<string> candidates)
    {
        // A letter or two ("-x") is near every short alias: no guess for those.
        var nearest = token.TrimStart('-').Length < 3 ? null : candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(token, c)))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(2, c.Name.TrimStart('-').Length / 3)) || (token.TrimStart('-').Length >= 3 && c.Name.StartsWith(token, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
        return nearest is null ? $"unknown {kind} '{token}'" : $"unknown {kind} '{token}': did you mean '{nearest}'?";
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) between two words: "onyl" is one from "only".</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
