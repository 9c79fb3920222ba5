using System.Globalization;
using System.Text.RegularExpressions;

namespace InfraDiff;

/// <summary>
/// The one way infradiff reads a length of time, in every flag, environment variable and configuration file:
/// "300" (seconds, as the seed's INTERVAL), "250ms", "30s", "5m", "2h", "1d", or "hh:mm:ss" ("00:05:00").
/// </summary>
public static partial class Duration
{
    /// <summary>The longest the runtime can wait for in one go (a timer takes int milliseconds): about 24.8 days.</summary>
    public static TimeSpan LongestWait { get; } = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>"0.5 s", "5 min", "2 h": a span as a log line says it.</summary>
    internal static string Describe(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
        : span.TotalMinutes < 60 ? $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h";

    /// <summary>Reads <paramref name="text"/> as a duration; false for anything else (zero and negative durations included).</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            value = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return value > TimeSpan.Zero;
    }

    /// <summary>Reads the duration <paramref name="option"/> was given; one that is waited for is at most <see cref="LongestWait"/>.</summary>
    /// <exception cref="InvalidOptionException">It is not a duration longer than zero, or too long to wait for.</exception>
    public static TimeSpan Parse(string option, string text, bool waited = true)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (!TryParse(text, out var value))
        {
            throw new InvalidOptionException(option, $"must be a duration such as 300, 30s, 5m or 1h, not '{Excerpt.Cut(text ?? "")}'");
        }

        return !waited || value <= LongestWait ? value : throw new InvalidOptionException(option, $"can be at most 24 days (the longest a timer waits), not '{Excerpt.Cut(text)}'");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$")]
    private static partial Regex Pattern();
}
