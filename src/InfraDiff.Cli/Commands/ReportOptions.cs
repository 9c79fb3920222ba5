using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary>The options that shape a drift report: shared by diff and check.</summary>
internal sealed class ReportOptions
{
    private readonly Option<string> format = new Option<string>("--format", "-f")
    {
        Description = string.Join("; ", ReportFormats.All.Select(f => $"{f.Name}: {f.Description}"))
            + ". Under GitHub Actions the markdown report is also appended to the step summary, the counts written to GITHUB_OUTPUT, and critical and high changes annotated.",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong([.. ReportFormats.Names]);

    private readonly Option<string?> allowedSigners = new("--allowed-signers")
    {
        Description = "Require each snapshot read (diff's two, check's baseline) to carry a FILE.sig made with 'snapshot --sign-key' by a key this ssh-keygen allowed_signers file lists.",
        HelpName = "FILE",
    };

    private readonly Option<string?> waivers = new("--waivers")
    {
        Description = "Waivers to apply besides the configuration's: a JSON file {\"waivers\": [{\"path\", \"reason\", \"expires\", \"by\", \"when\"}]}, reviewed like code. "
            + "A waived change is shown and counted apart, not failed; past its expiry it fails again, saying so, and reports warn a week ahead.",
        HelpName = "FILE",
    };

    public RuleOptions Rules { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(format);
        Rules.AddTo(command);
        command.Options.Add(waivers);
        command.Options.Add(allowedSigners);
    }

    /// <summary>With --allowed-signers, checks each snapshot file's signature before it is trusted.</summary>
    public async Task VerifySignaturesAsync(ParseResult parseResult, IEnumerable<string> snapshots, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(allowedSigners) is not { } signers)
        {
            return;
        }

        foreach (var path in snapshots)
        {
            await SshSignature.VerifyAsync(path, signers, cancellationToken);
        }
    }

    /// <summary>The rules from --config (or ./infradiff.json) at --min-severity, with the --waivers file's waivers after the configuration's.</summary>
    public DriftRules RulesOf(ParseResult parseResult, InfraDiffConfiguration file)
    {
        var rules = Rules.Rules(parseResult, file);
        return parseResult.GetValue(waivers) is { } path ? rules with { Waivers = [.. rules.Waivers, .. InfraDiffConfiguration.Load(path).Waivers] } : rules;
    }

    /// <summary>Writes the report to stdout in --format (coloured as --color says), tells GitHub Actions when run there, and returns 0 (no drift) or 1 (drift).</summary>
    public async Task<int> WriteAsync(ParseResult parseResult, DriftReport report, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await GitHubActions.WriteReportAsync(
            ReportFormats.Get(parseResult.GetRequiredValue(format)), DriftAlert.Of(report), stdout, new ReportFormatOptions { Colour = CommonOptions.Colour(parseResult) }, cancellationToken);
        await GitHubActions.WriteAsync(report, Console.Error, cancellationToken);
        return report.HasDrift ? ExitCodes.Drift : ExitCodes.Ok;
    }
}
