using System.Globalization;

namespace InfraDiff.Validation;

/// <summary>The checks the options types share, each giving the one message an invalid value gets.</summary>
internal static class OptionChecks
{
    /// <summary>Throws the first problem of <paramref name="options"/>, if any.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take.</exception>
    public static void ThrowIfInvalid(IValidatedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems().FirstOrDefault() is { } problem)
        {
            throw problem;
        }
    }

    public static InvalidOptionException? Positive(string option, TimeSpan value, bool infiniteAllowed = false) =>
        value > TimeSpan.Zero || (infiniteAllowed && value == Timeout.InfiniteTimeSpan) ? null
            : new(option, $"must be longer than zero{(infiniteAllowed ? " (or Timeout.InfiniteTimeSpan for no limit)" : "")} (was {Seconds(value)})");

    public static InvalidOptionException? NotNegative(string option, TimeSpan value) =>
        value >= TimeSpan.Zero ? null : new(option, $"must not be negative (was {Seconds(value)})");

    public static InvalidOptionException? AtLeast(string option, long value, long minimum) =>
        value >= minimum ? null : new(option, string.Create(CultureInfo.InvariantCulture, $"must be at least {minimum} (was {value})"));

    public static InvalidOptionException? Between(string option, long value, long minimum, long maximum) =>
        value >= minimum && value <= maximum ? null : new(option, string.Create(CultureInfo.InvariantCulture, $"must be between {minimum} and {maximum} (was {value})"));

    public static InvalidOptionException? NotEmpty(string option, string? value) =>
        string.IsNullOrWhiteSpace(value) ? new(option, "must not be empty") : null;

    public static InvalidOptionException? AbsolutePath(string option, string? value) =>
        string.IsNullOrEmpty(value) ? new(option, "must not be empty")
        : !value.StartsWith('/') ? new(option, $"must be an absolute path (was '{Excerpt.Cut(value)}')")
        : value.Contains('\0', StringComparison.Ordinal) ? new(option, "must not contain a NUL character")
        : null;

    /// <summary>A duration as messages show it: "2 s", "600 s".</summary>
    internal static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");
}
