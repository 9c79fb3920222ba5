using System.CommandLine;
using InfraDiff.Diffing;

namespace InfraDiff.Cli.Commands;

/// <summary>The options that choose a comparison's rules: --config and --min-severity (diff, check, fleet).</summary>
internal sealed class RuleOptions
{
    private readonly Option<string?> config = ConfigFile.Option();

    private readonly Option<string> minimumSeverity = new Option<string>("--min-severity")
    {
        Description = "Leave out changes below this severity.",
        DefaultValueFactory = _ => "low",
    }.AcceptOnlyFromAmong(ConfigFile.SeverityNames);

    public void AddTo(Command command)
    {
        command.Options.Add(config);
        command.Options.Add(minimumSeverity);
    }

    /// <summary>The rules from --config, or ./infradiff.json when present, at --min-severity.</summary>
    public DriftRules Rules(ParseResult parseResult) =>
        ConfigFile.Load(parseResult, config).ToDriftRules(Enum.Parse<Severity>(parseResult.GetRequiredValue(minimumSeverity), ignoreCase: true));
}
