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

    /// <summary>
    /// Redacts what commonly carries a credential on a command line: URL credentials and query strings,
    /// options such as --password=x, --token x and -p'x' style values of password-like options, and inline
    /// assignments such as API_TOKEN=x. Used for crontab entries, forced SSH commands and container commands.
    /// </summary>
    public static string RedactCommand(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = RedactUrls(command);
        text = SecretOption().Replace(text, m => m.Groups["option"].Value + Mask);
        return SecretAssignment().Replace(text, m => m.Groups["name"].Value + "=" + Mask);
    }

    /// <summary>A URL with its credentials and query removed, for log lines and messages ("https://hooks.example/…?&lt;redacted&gt;").</summary>
    public static string RedactUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return Mask;
        }

        // Chat webhooks carry their token in the path (/services/T000/B000/XXXX): only the scheme and host are shown.
        var origin = url.IsDefaultPort ? $"{url.Scheme}://{url.Host}" : $"{url.Scheme}://{url.Host}:{url.Port}";
        return url.PathAndQuery is "/" or "" ? origin : origin + "/…";
    }

    private const string SecretWords = "pass(?:word|wd|phrase)?|pwd|token|secret|api[-_]?key|access[-_]?key|auth|credentials?";

    [GeneratedRegex(@"(?<option>(?<![\w-])--?(?:[\w-]*[-_])?(?:" + SecretWords + @")(?:=|\s+))(?:'[^']*'|""[^""]*""|[^\s""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretOption();

    [GeneratedRegex(@"(?<![\w-])(?<name>[A-Za-z_]*(?:" + SecretWords + @")[A-Za-z0-9_]*)=(?:'[^']*'|""[^""]*""|[^\s""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?:(?<userinfo>[^/@\s?#]*)@)?(?<rest>[^\s?#""']*)(?:\?(?<query>[^\s#""']*))?")]
    private static partial Regex Url();
}
