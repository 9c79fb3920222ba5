using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Configuration;

/// <summary>
/// The settings file, <c>infradiff.json</c>: ignore and severity rules, and the settings of the "watch" and "snapshot"
/// sections (<see cref="WatchSettings"/>, <see cref="SnapshotSettings"/>), which <see cref="SettingsLayers"/> reads
/// under the .env file, the environment and the flags.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record InfraDiffConfiguration
{
    /// <summary>The file name looked for in the working directory when no --config is given.</summary>
    public const string DefaultFileName = "infradiff.json";

    /// <summary>Changes to ignore (JSON Pointer globs, with an optional reason and expiry day).</summary>
    public IReadOnlyList<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>Severity rules tried before the defaults.</summary>
    public IReadOnlyList<SeverityRule> Severity { get; init; } = [];

    /// <summary>Changes let through without an alert until a day, each with a reason (<see cref="Waiver"/>).</summary>
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];

    /// <summary>The drift rules this configuration gives, at <paramref name="minimumSeverity"/>.</summary>
    public DriftRules ToDriftRules(Severity minimumSeverity = InfraDiff.Severity.Low) =>
        new() { Ignore = Ignore, Severity = Severity, Waivers = Waivers, MinimumSeverity = minimumSeverity };

    /// <summary>The file this configuration was read from; null for the defaults.</summary>
    [JsonIgnore]
    public string? Path { get; private init; }

    /// <summary>The settings sections ("watch", "snapshot"), read by <see cref="SettingsLayers"/>.</summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? OtherSections { get; init; }

    /// <summary>The section <paramref name="name"/> of the file ("watch", "snapshot"), when the file has it.</summary>
    public JsonElement? Section(string name) => OtherSections is not null && OtherSections.TryGetValue(name, out var value) ? value : null;

    private static readonly JsonSerializerOptions ReadOptions = new(SnapshotJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
    };

    /// <summary>The file at <paramref name="path"/>, else ./infradiff.json when it exists, else the defaults.</summary>
    /// <exception cref="InfraDiffException">The file is missing (when named), unreadable or invalid.</exception>
    public static InfraDiffConfiguration LoadOrDefault(string? path) =>
        path is not null ? Load(path)
        : File.Exists(DefaultFileName) ? Load(DefaultFileName)
        : new InfraDiffConfiguration();

    /// <summary>Reads a configuration file; a misspelt key, a bad date or a bad pattern is an error naming the file.</summary>
    /// <exception cref="InfraDiffException">The file is missing, unreadable or invalid.</exception>
    /// <param name="path">The file.</param>
    public static InfraDiffConfiguration Load(string path)
    {
        string text;
        try
        {
            text = InputFile.ReadAllText(path, InputFile.SettingsLimit);
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
            throw new InfraDiffException($"{path}: invalid configuration{where}: {Problem(ex)}", ex);
        }

        var sections = new Dictionary<string, IReadOnlyList<string>> { [WatchSettings.Section] = WatchSettings.Keys, [SnapshotSettings.Section] = SnapshotSettings.Keys, [FleetSettings.Section] = FleetSettings.Keys };
        foreach (var (name, value) in configuration.OtherSections ?? [])
        {
            if (!sections.TryGetValue(name, out var keys))
            {
                throw new InfraDiffException($"{path}: invalid configuration: unknown setting '{Excerpt.Cut(name)}' (known: {string.Join(", ", new[] { "ignore", "severity", "waivers" }.Concat(sections.Keys))})");
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new InfraDiffException($"{path}: invalid configuration: '{name}' must be an object");
            }

            if (value.EnumerateObject().Select(p => p.Name).FirstOrDefault(k => !keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
            {
                throw new InfraDiffException($"{path}: invalid configuration: unknown setting '{name}.{Excerpt.Cut(unknown)}' (known: {string.Join(", ", keys)})");
            }
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

        return configuration with { Path = path };
    }

    /// <summary>What is wrong, in the file's words: the key and what it should hold, never a .NET type's name.</summary>
    private static string Problem(JsonException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        if (System.Text.RegularExpressions.Regex.Match(message, "^Duplicate property '([^']*)'") is { Success: true } duplicate)
        {
            return $"the key '{duplicate.Groups[1].Value}' is given twice";
        }

        var at = ex.Path is { Length: > 1 } jsonPath ? jsonPath.TrimStart('$', '.') : null;
        if (at is null || !message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return message.Split(" Path:")[0];
        }

        var key = System.Text.RegularExpressions.Regex.Replace(at, @"\[\d+\]$", "");
        key = key[(key.LastIndexOf('.') + 1)..];
        var expected = key switch
        {
            _ when at.EndsWith(']') && key is "ignore" or "severity" or "waivers" => "a rule: an object with a path",
            "ignore" or "severity" or "waivers" when !at.Contains('.', StringComparison.Ordinal) => "a list of rules",
            "severity" => "one of low, medium, high, critical",
            "op" => "add, remove or replace (or a list of them)",
            "expires" => "a day, yyyy-MM-dd",
            "when" => "a list of conditions such as \"new.uid == 0\"",
            _ => "a string",
        };
        return $"{at} must be {expected}";
    }
}
