using System.CommandLine;
using InfraDiff.Diffing;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff diff BEFORE AFTER</c>: compare two snapshot files.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var before = new Argument<string>("BEFORE") { Description = "The earlier snapshot file." };
        var after = new Argument<string>("AFTER") { Description = "The later snapshot file." };
        var report = new ReportOptions();
        var command = new Command(
            "diff",
            Examples.With(
                "Compare two snapshots as an RFC 6902 JSON Patch grouped by category. Exit codes: 0 no drift, 1 drift, 2 error.",
                "infradiff diff before.json after.json", "infradiff diff before.json after.json --format markdown --min-severity high"))
        {
            before,
            after,
        };
        report.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async _ =>
        {
            var file = ConfigFile.Rules(parseResult, report.Rules.Config);
            var paths = new[] { parseResult.GetRequiredValue(before), parseResult.GetRequiredValue(after) };
            await report.VerifySignaturesAsync(parseResult, paths, cancellationToken);
            var drift = await SnapshotDiffer.CompareAsync(paths[0], paths[1], report.RulesOf(parseResult, file), cancellationToken: cancellationToken);
            return await report.WriteAsync(parseResult, drift, cancellationToken);
        }));
        return command;
    }
}
