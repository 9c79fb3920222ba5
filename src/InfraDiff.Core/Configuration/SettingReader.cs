using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace InfraDiff.Configuration;

/// <summary>Reads one section's settings, each problem one <see cref="InvalidOptionException"/> naming the setting as it was given.</summary>
internal sealed class SettingReader(IConfiguration configuration, string section)
{
    /// <summary>Where the setting came from ("--interval", "INTERVAL in ./.env", …).</summary>
    public string Source(string key) => SettingsLayers.SourceOf(configuration, $"{section}:{key}");

    /// <summary>How the setting is named where it can be given: "smtp (env INFRADIFF_SMTP)".</summary>
    public string Name(string key) =>
        SettingsLayers.EnvironmentNames.TryGetValue($"{section}:{key}", out var names) ? $"{key} (env {string.Join(", ", names)})" : key;

    /// <summary>The setting's text, or null when it is not set; given blank ("--dir ''") it is an error, not the default.</summary>
    public string? Text(string key) =>
        configuration[$"{section}:{key}"] is not { } value ? null
        : !string.IsNullOrWhiteSpace(value) ? value.Trim()
        : throw new InvalidOptionException(Source(key), "is empty: give a value, or leave the setting out for its default");

    /// <summary>A list given as comma-separated text (or a JSON array).</summary>
    public IReadOnlyList<string> List(string key) =>
        Text(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public TimeSpan? Duration(string key, bool waited = true) =>
        Text(key) is { } text ? InfraDiff.Duration.Parse(Source(key), text, waited) : null;

    /// <summary>A whole number of at least 1.</summary>
    public int? Count(string key) =>
        Text(key) is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 ? count
        : throw new InvalidOptionException(Source(key), $"must be a whole number of at least 1, not '{Excerpt.Cut(text)}'");

    /// <summary>A number of bytes: "50M", "1G", "512K" (powers of 1024) or plain bytes.</summary>
    public long? Size(string key)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        var unit = text.Length > 0 ? char.ToUpperInvariant(text[^1]) : ' ';
        var factor = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        var digits = factor == 1 ? text : text[..^1];
        return double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount * factor < long.MaxValue
            ? (long)(amount * factor)
            : throw new InvalidOptionException(Source(key), $"must be a size such as 50M, 1G or 512K, not '{Excerpt.Cut(text)}'");
    }

    public bool? Flag(string key) =>
        Text(key) is not { } text ? null
        : text.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" => true,
            "0" or "false" or "no" => false,
            _ => throw new InvalidOptionException(Source(key), $"must be true or false (1 or 0), not '{Excerpt.Cut(text)}'"),
        };

    public string? Choice(string key, IReadOnlyList<string> choices) =>
        Text(key) is not { } text ? null
        : choices.Contains(text) ? text
        : throw new InvalidOptionException(Source(key), $"'{Excerpt.Cut(text)}' is not one of {string.Join(", ", choices)}");

    public TEnum? Enum<TEnum>(string key)
        where TEnum : struct, System.Enum
    {
        var names = System.Enum.GetValues<TEnum>().Select(EnumNames.Of).ToList();
        return Choice(key, names) is { } name ? System.Enum.Parse<TEnum>(name, ignoreCase: true) : null;
    }

    /// <summary>An absolute http or https URL; the message never repeats its credentials or query.</summary>
    public Uri? Url(string key) =>
        Text(key) is not { } text ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url
        : throw new InvalidOptionException(Source(key), $"must be an http or https URL, not '{Redaction.SecretRedactor.RedactUrls(text)}'");
}
