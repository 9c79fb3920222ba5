using System.Text;

namespace InfraDiff.Fleet;

/// <summary>
/// Ansible's INI inventory: host lines (with key=value variables), [group], [group:vars] and [group:children]
/// sections; host lines may also be written user@host[:port], which makes a plain list of hosts an inventory too.
/// </summary>
internal static class IniInventoryParser
{
    public static void Parse(string text, InventoryBuilder builder)
    {
        var section = "ungrouped";
        var kind = "hosts";
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']' && !line.Contains(' ', StringComparison.Ordinal) && !IsBracketedAddress(line))
            {
                var header = line[1..^1];
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                section = colon < 0 ? header : header[..colon];
                kind = colon < 0 ? "hosts" : header[(colon + 1)..];
                if (kind is not ("hosts" or "vars" or "children"))
                {
                    throw builder.Problem($"line {lineNumber}: section [{Excerpt.Cut(header)}]: after ':' comes vars or children");
                }

                WithLine(builder, lineNumber, () => builder.AddGroup(section));
                continue;
            }

            var tokens = WithLine(builder, lineNumber, () => Split(line));
            if (tokens.Count == 0)
            {
                continue;
            }

            switch (kind)
            {
                case "vars":
                    var equals = line.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw builder.Problem($"line {lineNumber}: '{Excerpt.Cut(line)}' is not name=value");
                    }

                    var value = WithLine(builder, lineNumber, () => Split(line[(equals + 1)..].Trim()));
                    WithLine(builder, lineNumber, () => builder.AddGroupVariable(section, line[..equals].Trim(), string.Join(' ', value)));
                    break;
                case "children":
                    WithLine(builder, lineNumber, () => builder.AddChild(section, tokens[0]));
                    break;
                default:
                    var variables = new List<KeyValuePair<string, string>>();
                    foreach (var token in tokens.Skip(1))
                    {
                        var at = token.IndexOf('=', StringComparison.Ordinal);
                        if (at <= 0)
                        {
                            throw builder.Problem($"line {lineNumber}: '{Excerpt.Cut(token)}' is not a name=value host variable");
                        }

                        variables.Add(new(token[..at], token[(at + 1)..]));
                    }

                    var (name, hostVariables) = HostToken(tokens[0]);
                    WithLine(builder, lineNumber, () => builder.AddHosts(section, name, hostVariables.Concat(variables)));
                    break;
            }
        }
    }

    /// <summary>user@host:port (user and port optional; an IPv6 address in brackets) as the host's name and the variables it implies.</summary>
    private static (string Name, List<KeyValuePair<string, string>> Variables) HostToken(string token)
    {
        var variables = new List<KeyValuePair<string, string>>();
        var at = token.LastIndexOf('@');
        if (at > 0)
        {
            variables.Add(new("ansible_user", token[..at]));
            token = token[(at + 1)..];
        }

        // As Ansible reads "host:port": the name is the host, the port a variable.
        string? port = null;
        if (IsBracketedAddress(token))
        {
            var close = token.IndexOf(']', StringComparison.Ordinal);
            port = close + 1 < token.Length && token[close + 1] == ':' ? token[(close + 2)..] : null;
            token = token[1..close];
        }
        else if (token.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && colon == token.LastIndexOf(':') && colon > token.LastIndexOf(']'))
        {
            port = token[(colon + 1)..];
            token = token[..colon];
        }

        if (port is not null)
        {
            variables.Add(new("ansible_port", port));
        }

        return (token, variables);
    }

    /// <summary>"[::1]" or "[fe80::1]:2222": an IPv6 address, not a section header or a host range.</summary>
    private static bool IsBracketedAddress(string text)
    {
        var close = text.IndexOf(']', StringComparison.Ordinal);
        return text.StartsWith('[') && close > 0 && System.Net.IPAddress.TryParse(text[1..close], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    /// <summary>Shell-like words: whitespace between them, single and double quotes, backslash escapes, '#' starting a comment.</summary>
    internal static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c is '\'' or '"')
            {
                var end = line.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new InvalidInventoryException($"an unclosed {(c == '\'' ? "single" : "double")} quote in '{Excerpt.Cut(line)}'");
                }

                word.Append(line, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static T WithLine<T>(InventoryBuilder builder, int lineNumber, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidInventoryException ex)
        {
            var message = ex.Message.StartsWith($"inventory {builder.Source}: ", StringComparison.Ordinal) ? ex.Message[($"inventory {builder.Source}: ".Length)..] : ex.Message;
            throw builder.Problem($"line {lineNumber}: {message}");
        }
    }

    private static void WithLine(InventoryBuilder builder, int lineNumber, Action action) => WithLine(builder, lineNumber, () =>
    {
        action();
        return 0;
    });
}
