using InfraDiff.Host;

namespace InfraDiff.Configuration;

/// <summary>
/// A <c>.env</c> file, as docker compose and the seed's toolkit read it: NAME=VALUE lines, an optional "export ", '#'
/// comments and blank lines; a value in double quotes may hold \n, \" and \\, one in single quotes is taken as written,
/// an unquoted one ends at " #". Nothing is expanded and the process environment is not touched.
/// </summary>
public static class DotEnvFile
{
    /// <summary>The variables <paramref name="path"/> sets (the last of a name wins), or none when there is no such file.</summary>
    /// <exception cref="InfraDiffException">The file cannot be read (a FIFO, a directory, too large) or a line is not NAME=VALUE; the message names the file and the line.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && new FileInfo(path).LinkTarget is null && !Directory.Exists(path))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        string text;
        try
        {
            text = InputFile.ReadAllText(path, InputFile.SettingsLimit);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfraDiffException($"{path}: {FileProblem.Describe(ex)}", ex);
        }

        return Parse(text, path);
    }

    /// <summary>The variables <paramref name="text"/> sets; <paramref name="path"/> names it in an error.</summary>
    /// <exception cref="InfraDiffException">A line is not NAME=VALUE.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? "" : line[..equals].Trim();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
            {
                throw new InfraDiffException($"{path} line {number}: expected NAME=VALUE, not '{Excerpt.Cut(HostText.Clean(line))}'");
            }

            variables[name] = Value(line[(equals + 1)..].Trim(), path, number);
        }

        return variables;
    }

    private static string Value(string raw, string path, int number)
    {
        if (raw.Length > 0 && raw[0] is '"' or '\'')
        {
            var quote = raw[0];
            var value = new System.Text.StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                if (raw[i] == quote)
                {
                    var rest = raw[(i + 1)..].Trim();
                    return rest.Length == 0 || rest[0] == '#' ? value.ToString()
                        : throw new InfraDiffException($"{path} line {number}: unexpected text after the closing quote");
                }

                if (quote == '"' && raw[i] == '\\' && i + 1 < raw.Length)
                {
                    i++;
                    value.Append(raw[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                }
                else
                {
                    value.Append(raw[i]);
                }
            }

            throw new InfraDiffException($"{path} line {number}: the value's {(quote == '"' ? "double" : "single")} quote is never closed");
        }

        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return (comment < 0 ? raw : raw[..comment]).TrimEnd();
    }
}
