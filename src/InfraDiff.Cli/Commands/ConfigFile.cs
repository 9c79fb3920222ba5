using System.CommandLine;
using InfraDiff.Configuration;

namespace InfraDiff.Cli.Commands;

/// <summary>infradiff.json: the rules Core reads, and the "watch" section the tool reads (<see cref="WatchSettings"/>).</summary>
internal static class ConfigFile
{
    /// <summary>A --config option (one per command that reads the file).</summary>
    public static Option<string?> Option() => new("--config")
    {
        Description = $"Settings and rules: ignore and severity rules, and the watch settings (default: ./{InfraDiffConfiguration.DefaultFileName} when it exists).",
        HelpName = "FILE",
    };

    /// <summary>The file --config names, else ./infradiff.json when it exists, else the defaults.</summary>
    public static InfraDiffConfiguration Load(ParseResult parseResult, Option<string?>? option = null) =>
        InfraDiffConfiguration.LoadOrDefault(option is null ? null : parseResult.GetValue(option), WatchSettings.FileSection);

    /// <summary>The severities, lowest first, as they are written: the choices of every --min-severity.</summary>
    public static string[] SeverityNames { get; } = [.. Enum.GetValues<Severity>().Select(EnumNames.Of)];
}
