using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Configuration;

/// <summary>The settings file, <c>infradiff.json</c>: ignore and severity rules.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record InfraDiffConfiguration
{
    /// <summary>The file name looked for in the working directory when no --config is given.</summary>
    public const string DefaultFileName = "infradiff.json";

    /// <summary>Changes to ignore (JSON Pointer globs, with an optional reason and expiry day).</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>Severity rules tried before the defaults.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>The drift rules this configuration gives, at <paramref name="minimumSeverity"/>.</summary>
    public DriftRules ToDriftRules(Severity minimumSeverity = InfraDiff.Severity.Low) =>
        new() { Ignore = Ignore, Severity = Severity, MinimumSeverity = minimumSeverity };

    /// <summary>The top-level sections Core does not read, kept for the application that does (the tool's "watch").</summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? OtherSections { get; init; }

    /// <summary>The section <paramref name="name"/> of the file, when the application reading it declared it (see <see cref="Load"/>) and the file has it.</summary>
    public JsonElement? Section(string name) => OtherSections is not null && OtherSections.TryGetValue(name, out var value) ? value : null;

    private static readonly JsonSerializerOptions ReadOptions = new(SnapshotJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The file at <paramref name="path"/>, else ./infradiff.json when it exists, else the defaults.</summary>
    /// <exception cref="InfraDiffException">The file is missing (when named), unreadable or invalid.</exception>
    public static InfraDiffConfiguration LoadOrDefault(string? path, params IReadOnlyCollection<string> otherSections) =>
        path is not null ? Load(path, otherSections)
        : File.Exists(DefaultFileName) ? Load(DefaultFileName, otherSections)
        : new InfraDiffConfiguration();

    /// <summary>Reads a configuration file; a misspelt key, a bad date or a bad pattern is an error naming the file.</summary>
    /// <exception cref="InfraDiffException">The file is missing, unreadable or invalid.</exception>
    /// <param name="path">The file.</param>
    /// <param name="otherSections">Top-level sections an application keeps in the same file (the tool's "watch"): accepted, and left to it through <see cref="Section"/>; any other unknown key is an error.</param>
    public static InfraDiffConfiguration Load(string path, params IReadOnlyCollection<string> otherSections)
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

        if (configuration.OtherSections?.Keys.FirstOrDefault(k => !otherSections.Contains(k)) is { } unknown)
        {
            throw new InfraDiffException($"{path}: invalid configuration: unknown setting '{Excerpt.Cut(unknown)}' (known: {string.Join(", ", new[] { "ignore", "severity" }.Concat(otherSections))})");
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
