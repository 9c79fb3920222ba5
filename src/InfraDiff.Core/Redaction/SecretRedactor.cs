using System.Text.RegularExpressions;

namespace InfraDiff.Redaction;

/// <summary>Removes the secrets that hide in otherwise useful text: credentials and query strings in URLs.</summary>
public static partial class SecretRedactor
{
    /// <summary>The text written in place of a removed secret.</summary>
    public const string Mask = "<redacted>";

    /// <summary>Replaces the user:password part and the query string of every URL in <paramref name="text"/>.</summary>
    public static string RedactUrls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        return Url().Replace(text, m =>
            m.Groups["scheme"].Value
            + (m.Groups["userinfo"].Success ? Mask + "@" : "")
            + m.Groups["rest"].Value
            + (m.Groups["query"].Success ? "?" + Mask : ""));
    }

    /// <summary>A URL with its credentials and query removed, for log lines and messages ("https://hooks.example/…?&lt;redacted&gt;").</summary>
    public static string RedactUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return RedactUrls(url.OriginalString);
    }

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?:(?<userinfo>[^/@\s?#]*)@)?(?<rest>[^\s?#""']*)(?:\?(?<query>[^\s#""']*))?")]
    private static partial Regex Url();
}
