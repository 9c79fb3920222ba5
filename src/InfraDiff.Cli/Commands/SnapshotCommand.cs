using System.CommandLine;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff snapshot</c>: collect this host's state and write it as canonical JSON.</summary>
internal static class SnapshotCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the snapshot to FILE (atomically, mode 0600) instead of stdout ('-' is stdout).",
            HelpName = "FILE",
        };
        var selection = new SnapshotSelection();
        var command = new Command(
            "snapshot",
            "Collect this host's state (os, packages, services, users, scheduled, network, docker, files) as one JSON document. "
            + "Exit codes: 0 complete, 3 partial (a collector failed or timed out), 2 error.")
        {
            output,
        };
        selection.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async logger =>
        {
            var (snapshotter, options) = selection.Create(parseResult, logger);
            var snapshot = await snapshotter.TakeAsync(options, cancellationToken);
            if (parseResult.GetValue(output) is { } path && path != "-")
            {
                await SnapshotFile.WriteAsync(path, snapshot, cancellationToken);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(SnapshotJson.ToCanonicalBytes(snapshot), cancellationToken);
            }

            return CommonOptions.ExitCodeOf(snapshot);
        }));
        return command;
    }
}
