using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff;

/// <summary>The settings file, <c>infradiff.json</c>: ignore and severity rules.</summary>
public sealed record InfraDiffConfiguration
{
    /// <summary>The file name looked for in the working directory when no --config is given.</summary>
    public const string DefaultFileName = "infradiff.json";

    /// <summary>Changes to ignore (JSON Pointer globs, with an optional reason and expiry day).</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>Severity rules tried before the defaults.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Settings of <c>infradiff watch</c>; flags, the environment and .env take precedence over these.</summary>
    public WatchSettings Watch { get; init; } = new();

    /// <summary>The drift rules this configuration gives, at <paramref name="minimumSeverity"/>.</summary>
    public DriftRules ToDriftRules(Severity minimumSeverity = Diffing.Severity.Low) =>
        new() { Ignore = Ignore, Severity = Severity, MinimumSeverity = minimumSeverity };

    /// <summary>The watch loop's settings as a configuration file gives them: each optional.</summary>
    public sealed record WatchSettings
    {
        /// <summary>"300" (seconds), "5m", "1h", or "00:05:00".</summary>
        public string? Interval { get; init; }

        /// <summary>The store directory.</summary>
        public string? Dir { get; init; }

        /// <summary>The webhook URL.</summary>
        public string? Webhook { get; init; }

        /// <summary>generic, slack, teams or discord.</summary>
        public string? WebhookFormat { get; init; }

        /// <summary>previous or baseline.</summary>
        public string? Against { get; init; }

        /// <summary>A duration, as for the interval.</summary>
        public string? RepeatAfter { get; init; }

        /// <summary>Snapshots kept.</summary>
        public int? Keep { get; init; }

        /// <summary>low, medium, high or critical.</summary>
        public string? MinSeverity { get; init; }
    }

    private static readonly JsonSerializerOptions ReadOptions = new(SnapshotJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The file at <paramref name="path"/>, else ./infradiff.json when it exists, else the defaults.</summary>
    /// <exception cref="InfraDiffException">The file is missing (when named), unreadable or invalid.</exception>
    public static InfraDiffConfiguration LoadOrDefault(string? path) =>
        path is not null ? Load(path)
        : File.Exists(DefaultFileName) ? Load(DefaultFileName)
        : new InfraDiffConfiguration();

    /// <summary>Reads a configuration file; a misspelt key, a bad date or a bad pattern is an error naming the file.</summary>
    /// <exception cref="InfraDiffException">The file is missing, unreadable or invalid.</exception>
    public static InfraDiffConfiguration Load(string path)
    {
        string text;
        try
        {
            text = InputFile.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InfraDiffException($"{path}: {FileProblem.Describe(ex)}", ex);
        }

        InfraDiffConfiguration configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<InfraDiffConfiguration>(text, ReadOptions)
                ?? throw new InfraDiffException($"{path}: the configuration is null");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            var what = ex.InnerException?.Message ?? ex.Message.Split(" Path:")[0];
            throw new InfraDiffException($"{path}: invalid configuration{where}: {what}", ex);
        }

        try
        {
            // Compiling the rules now reports a bad glob or pattern before any snapshot is taken.
            _ = new CompiledRules(configuration.ToDriftRules(), DateOnly.MinValue);
        }
        catch (InfraDiffException ex)
        {
            throw new InfraDiffException($"{path}: {ex.Message}", ex);
        }

        return configuration;
    }
}
