using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff check --baseline FILE</c>: snapshot now and diff against a baseline, the CI gate.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline", "-b") { Description = "The baseline snapshot to compare this host against.", HelpName = "FILE", Required = true };
        var update = new Option<bool>("--update-baseline") { Description = "After reporting, write this snapshot as the new baseline (atomically, 0600); creates a missing baseline." };
        var snapshot = new SettingOptions(SettingOptions.Snapshot(withImage: true));
        var report = new ReportOptions();
        var command = new Command(
            "check",
            Examples.With(
                "Snapshot this host and compare it with a baseline: the CI gate. Exit codes: 0 no drift, 1 drift, 2 error, 3 no drift but a collector failed or timed out.",
                "infradiff check --baseline baseline.json --format junit > drift.xml", "infradiff check --baseline baseline.json --update-baseline --exclude docker"))
        {
            baseline,
            update,
        };
        snapshot.AddTo(command);
        report.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async loggers =>
        {
            var (file, settings) = ConfigFile.Load(parseResult, report.Rules.Config, snapshot);
            var selection = SnapshotSettings.Bind(settings);
            var baselinePath = parseResult.GetRequiredValue(baseline);
            var updating = parseResult.GetValue(update);
            Snapshot? old = null;
            if (!updating && !File.Exists(baselinePath) && new FileInfo(baselinePath).LinkTarget is null)
            {
                throw new InfraDiffException($"{baselinePath}: no such file (make it with --update-baseline)");
            }

            if (File.Exists(baselinePath) || !updating)
            {
                await report.VerifySignaturesAsync(parseResult, [baselinePath], cancellationToken);
                old = await SnapshotFile.ReadAsync(baselinePath, cancellationToken);
            }

            var now = await selection.TakeAsync(loggers, CommonOptions.Progress(parseResult), cancellationToken);
            var exitCode = old is null ? ExitCodes.Ok : await report.WriteAsync(parseResult, SnapshotDiffer.Compare(old, now, report.RulesOf(parseResult, file)), cancellationToken);
            if (updating)
            {
                await SnapshotFile.WriteAsync(baselinePath, now, cancellationToken);
                Console.Error.WriteLine(old is null ? $"infradiff: created baseline {baselinePath}" : $"infradiff: updated baseline {baselinePath}");
            }

            return exitCode == ExitCodes.Ok ? CommonOptions.ExitCodeOf(now) : exitCode;
        }));
        return command;
    }
}
