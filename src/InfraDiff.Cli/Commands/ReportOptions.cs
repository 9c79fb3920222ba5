using System.CommandLine;
using InfraDiff.Cli.Rendering;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary>The options that shape a drift report: shared by diff and check.</summary>
internal sealed class ReportOptions
{
    private static readonly Dictionary<string, ReportFormat> Formats = new(StringComparer.Ordinal)
    {
        ["text"] = ReportFormat.Text,
        ["json"] = ReportFormat.Json,
        ["json-patch"] = ReportFormat.JsonPatch,
        ["markdown"] = ReportFormat.Markdown,
        ["junit"] = ReportFormat.Junit,
        ["html"] = ReportFormat.Html,
    };

    private readonly Option<string> format = new Option<string>("--format", "-f")
    {
        Description = "text (grouped by category; colour on a terminal unless NO_COLOR), markdown (a table per category, for a pull request or CI summary), junit (JUnit XML: a test suite per category, a failed case per change, for CI test reports), html (one self-contained page with filters and expandable changes), json (the report), or json-patch (the RFC 6902 array alone). Under GitHub Actions the markdown report is also appended to the step summary, the counts written to GITHUB_OUTPUT, and critical and high changes annotated.",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong([.. Formats.Keys]);

    private readonly RuleOptions rules = new();

    private readonly Option<string?> allowedSigners = new("--allowed-signers")
    {
        Description = "Require each snapshot read (diff's two, check's baseline) to carry a FILE.sig made with 'snapshot --sign-key' by a key this ssh-keygen allowed_signers file lists.",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(format);
        rules.AddTo(command);
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

    public ReportFormat Format(ParseResult parseResult) => Formats[parseResult.GetRequiredValue(format)];

    /// <summary>The rules from --config, or ./infradiff.json when present, at --min-severity.</summary>
    public DriftRules Rules(ParseResult parseResult) => rules.Rules(parseResult);

    /// <summary>
    /// Renders the report to stdout, in colour as --color says, tells GitHub Actions when run
    /// there, and returns 0 (no drift) or 1 (drift).
    /// </summary>
    public async Task<int> WriteAsync(ParseResult parseResult, DriftReport report, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await ReportRenderer.WriteAsync(report, Format(parseResult), stdout, CommonOptions.Colour(parseResult), cancellationToken);
        await GitHubActions.WriteAsync(report, Console.Error, cancellationToken);
        return report.HasDrift ? ExitCodes.Drift : ExitCodes.Ok;
    }
}
