using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace InfraDiff.Configuration;

/// <summary>
/// infradiff's settings as layers of one <see cref="IConfiguration"/>, each over the one before: infradiff.json's
/// sections, ./.env, the environment (INFRADIFF_* names and the seed's WEBHOOK_URL, INTERVAL, SNAPSHOT_DIR), then the
/// command line's flags. Keys are "section:name" ("watch:interval"); every setting can be given in every layer, and an
/// invalid one is named as it was given ("--interval", "INTERVAL in ./.env", "watch.interval in infradiff.json").
/// </summary>
public static class SettingsLayers
{
    /// <summary>The environment variables each setting is read from, the first set one winning.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> EnvironmentNames { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["watch:interval"] = ["INFRADIFF_INTERVAL", "INTERVAL"],
        ["watch:dir"] = ["INFRADIFF_DIR", "SNAPSHOT_DIR"],
        ["watch:webhook"] = ["INFRADIFF_WEBHOOK_URL", "WEBHOOK_URL"],
        ["watch:webhookFormat"] = ["INFRADIFF_WEBHOOK_FORMAT"],
        ["watch:webhookSecret"] = ["INFRADIFF_WEBHOOK_SECRET", "WEBHOOK_SECRET"],
        ["watch:against"] = ["INFRADIFF_AGAINST"],
        ["watch:repeatAfter"] = ["INFRADIFF_REPEAT_AFTER"],
        ["watch:keep"] = ["INFRADIFF_KEEP"],
        ["watch:keepReports"] = ["INFRADIFF_KEEP_REPORTS"],
        ["watch:minSeverity"] = ["INFRADIFF_MIN_SEVERITY"],
        ["watch:heartbeat"] = ["INFRADIFF_HEARTBEAT"],
        ["watch:emailTo"] = ["INFRADIFF_EMAIL_TO"],
        ["watch:smtp"] = ["INFRADIFF_SMTP"],
        ["watch:emailFrom"] = ["INFRADIFF_EMAIL_FROM"],
        ["watch:metricsFile"] = ["INFRADIFF_METRICS_FILE"],
        ["watch:listen"] = ["INFRADIFF_LISTEN"],
        ["watch:syslog"] = ["INFRADIFF_SYSLOG"],
        ["watch:syslogCa"] = ["INFRADIFF_SYSLOG_CA"],
        ["watch:alertsFile"] = ["INFRADIFF_ALERTS_FILE"],
        ["watch:alertsFormat"] = ["INFRADIFF_ALERTS_FORMAT"],
        ["watch:realtime"] = ["INFRADIFF_REALTIME"],
        ["snapshot:root"] = ["INFRADIFF_ROOT"],
        ["snapshot:hostKernel"] = ["INFRADIFF_HOST_KERNEL"],
    };

    /// <summary>The layers, each over the one before.</summary>
    /// <param name="file">infradiff.json (its "watch" and "snapshot" sections are read here).</param>
    /// <param name="flags">The command line: setting key → the flag that sets it and the value it was given (a list joined with commas; null when not given).</param>
    /// <param name="dotEnvPath">The .env file, when there is one; null for none.</param>
    /// <param name="environment">How an environment variable is read (default: this process's environment).</param>
    /// <exception cref="InfraDiffException">The .env file is unreadable or malformed.</exception>
    public static IConfigurationRoot Build(InfraDiffConfiguration file, IReadOnlyDictionary<string, (string Flag, string? Value)> flags, string? dotEnvPath = ".env", Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(flags);
        environment ??= Environment.GetEnvironmentVariable;
        var dotEnv = dotEnvPath is null ? new Dictionary<string, string>() : DotEnvFile.Read(dotEnvPath);
        var fileName = file.Path ?? InfraDiffConfiguration.DefaultFileName;
        var fromFile = new Layer(key => $"{key.Replace(':', '.')} in {fileName}");
        foreach (var section in SettingSections)
        {
            if (file.Section(section) is { } element)
            {
                Flatten(element, section, fromFile.Values);
            }
        }

        return new ConfigurationBuilder()
            .Add(fromFile)
            .Add(FromNames(name => dotEnv.GetValueOrDefault(name), name => $"{name} in {dotEnvPath}"))
            .Add(FromNames(environment, name => name))
            .Add(new Layer(key => flags.TryGetValue(key, out var given) ? given.Flag : key, flags.Where(f => f.Value.Value is not null).ToDictionary(f => f.Key, f => f.Value.Value, StringComparer.OrdinalIgnoreCase)) { Names = flags.ToDictionary(f => f.Key, f => f.Value.Flag, StringComparer.OrdinalIgnoreCase) })
            .Build();
    }

    /// <summary>How a message names the setting <paramref name="key"/> to whoever can set it: its flag where the command line has one ("--reset-baseline"), else the key ("watch:resetBaseline").</summary>
    public static string NameOf(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration is IConfigurationRoot root && root.Providers.OfType<Layer.Provider>().Select(p => p.NameOf(key)).LastOrDefault(n => n is not null) is { } name ? name : key;
    }

    /// <summary>Where the value of <paramref name="key"/> came from: "--interval", "INTERVAL", "INTERVAL in ./.env", "watch.interval in infradiff.json"; else the key.</summary>
    public static string SourceOf(IConfiguration configuration, string key)
    {
        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.Reverse())
            {
                if (provider is Layer.Provider layer && layer.TryGet(key, out _))
                {
                    return layer.Describe(key);
                }
            }
        }

        return key;
    }

    /// <summary>The sections of infradiff.json that hold settings (the rest holds rules).</summary>
    internal static readonly string[] SettingSections = [WatchSettings.Section, SnapshotSettings.Section, FleetSettings.Section];

    private static Layer FromNames(Func<string, string?> read, Func<string, string> describe)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var layer = new Layer(key => names.TryGetValue(key, out var name) ? describe(name) : key);
        foreach (var (key, candidates) in EnvironmentNames)
        {
            foreach (var name in candidates)
            {
                if (read(name) is { } value && !string.IsNullOrWhiteSpace(value))
                {
                    layer.Values[key] = value;
                    names[key] = name;
                    break;
                }
            }
        }

        return layer;
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    Flatten(member.Value, $"{path}:{member.Name}", values);
                }

                break;
            case JsonValueKind.Array:
                values[path] = string.Join(',', element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
                break;
            case JsonValueKind.String:
                values[path] = element.GetString();
                break;
            case JsonValueKind.Null:
                break;
            default:
                values[path] = element.GetRawText().ToString(CultureInfo.InvariantCulture);
                break;
        }
    }

    /// <summary>One layer: its values, and how it names where one came from.</summary>
    private sealed class Layer(Func<string, string> describe, Dictionary<string, string?>? values = null) : IConfigurationSource
    {
        public Dictionary<string, string?> Values { get; } = values ?? new(StringComparer.OrdinalIgnoreCase);

        public Func<string, string> Describe { get; } = describe;

        /// <summary>The flag of every setting the command line has, given or not.</summary>
        public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

        internal sealed class Provider(Layer layer) : ConfigurationProvider
        {
            public override void Load() => Data = new Dictionary<string, string?>(layer.Values, StringComparer.OrdinalIgnoreCase);

            public string Describe(string key) => layer.Describe(key);

            public string? NameOf(string key) => layer.Names.GetValueOrDefault(key);
        }
    }
}
