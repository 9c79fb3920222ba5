using System.Security.Cryptography;
using System.Text.RegularExpressions;
using InfraDiff.Redaction;

namespace InfraDiff.Sections.Users;

/// <summary>An authorized key, identified by its fingerprint; the key material itself is never kept.</summary>
internal sealed record AuthorizedKey(string Type, string? Comment, string? Options);

/// <summary>Parses sshd(8)'s AuthorizedKeysFile format: "[options] type base64-key [comment]".</summary>
internal static partial class AuthorizedKeysParser
{
    /// <summary>Keys keyed by OpenSSH's SHA256 fingerprint ("SHA256:…", as ssh-keygen -lf prints it); unparseable lines are skipped.</summary>
    public static SortedDictionary<string, AuthorizedKey> Parse(string text)
    {
        var keys = new SortedDictionary<string, AuthorizedKey>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string? options = null;
            if (!IsKeyType(FirstToken(line)))
            {
                var end = EndOfOptions(line);
                options = line[..end];
                line = line[end..].TrimStart();
            }

            var parts = line.Split((char[])[' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !IsKeyType(parts[0]) || Fingerprint(parts[1]) is not { } fingerprint)
            {
                continue;
            }

            keys[fingerprint] = new AuthorizedKey(parts[0], parts.Length == 3 ? parts[2].Trim() : null, options is null ? null : RedactOptions(options));
        }

        return keys;
    }

    /// <summary>OpenSSH's fingerprint: SHA-256 of the decoded key blob, base64 without padding.</summary>
    internal static string? Fingerprint(string base64Key)
    {
        var blob = new byte[base64Key.Length];
        if (!Convert.TryFromBase64String(base64Key, blob, out var length) || length == 0)
        {
            return null;
        }

        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob.AsSpan(0, length))).TrimEnd('=');
    }

    private static bool IsKeyType(string token) =>
        token.StartsWith("ssh-", StringComparison.Ordinal)
        || token.StartsWith("ecdsa-sha2-", StringComparison.Ordinal)
        || token.StartsWith("sk-", StringComparison.Ordinal);

    private static string FirstToken(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? line : line[..space];
    }

    /// <summary>Options end at the first space or tab outside double quotes.</summary>
    private static int EndOfOptions(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (!quoted && line[i] is ' ' or '\t')
            {
                return i;
            }
        }

        return line.Length;
    }

    /// <summary>environment="NAME=value" carries values into a session: keep the name, drop the value; strip URL secrets from forced commands.</summary>
    private static string RedactOptions(string options) =>
        SecretRedactor.RedactCommand(EnvironmentOption().Replace(options, m => $"environment=\"{m.Groups[1].Value}={SecretRedactor.Mask}\""));

    [GeneratedRegex(@"environment=""([^=""]*)=(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase)]
    private static partial Regex EnvironmentOption();
}
