using System.CommandLine;
using InfraDiff.Configuration;
using Microsoft.Extensions.Configuration;

namespace InfraDiff.Cli.Commands;

/// <summary>infradiff.json and the settings layered over it: what every command reads its rules and settings from.</summary>
internal static class ConfigFile
{
    /// <summary>A --config option (one per command that reads the file).</summary>
    public static Option<string?> Option() => new("--config")
    {
        Description = $"Rules and settings: ignore and severity rules, and the watch, snapshot and fleet settings (default: ./{InfraDiffConfiguration.DefaultFileName} when it exists). Flags override the environment, which overrides ./.env, which overrides the file.",
        HelpName = "FILE",
    };

    /// <summary>The file --config names, else ./infradiff.json when it exists, else the defaults: its rules.</summary>
    public static InfraDiffConfiguration Rules(ParseResult parseResult, Option<string?> config) => InfraDiffConfiguration.LoadOrDefault(parseResult.GetValue(config));

    /// <summary>The file --config names (else ./infradiff.json when it exists), and the settings in layers over it: ./.env, the environment, the flags of <paramref name="groups"/>.</summary>
    public static (InfraDiffConfiguration File, IConfigurationRoot Settings) Load(ParseResult parseResult, Option<string?>? config, params SettingOptions[] groups)
    {
        var file = InfraDiffConfiguration.LoadOrDefault(config is null ? null : parseResult.GetValue(config));
        return (file, SettingsLayers.Build(file, SettingOptions.Given(parseResult, groups)));
    }

    /// <summary>The severities, lowest first, as they are written: the choices of every --min-severity.</summary>
    public static string[] SeverityNames { get; } = [.. Enum.GetValues<Severity>().Select(EnumNames.Of)];
}
