using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Diffing;

namespace InfraDiff.Cli.Commands;

/// <summary>The options that choose a comparison's rules: --config and --min-severity (diff, check, fleet).</summary>
internal sealed class RuleOptions
{
    public readonly Option<string?> Config = ConfigFile.Option();

    private readonly Option<string> minimumSeverity = new Option<string>("--min-severity")
    {
        Description = "Leave out changes below this severity (the report counts them).",
        DefaultValueFactory = _ => "low",
    }.AcceptOnlyFromAmong(ConfigFile.SeverityNames);

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(minimumSeverity);
    }

    /// <summary>The rules of <paramref name="file"/> at --min-severity.</summary>
    public DriftRules Rules(ParseResult parseResult, InfraDiffConfiguration file) =>
        file.ToDriftRules(Enum.Parse<Severity>(parseResult.GetRequiredValue(minimumSeverity), ignoreCase: true));
}
