using System.CommandLine;
using InfraDiff.Configuration;
using InfraDiff.Host;
using InfraDiff.Monitoring;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff report --dir STORE -o drift.html</c>: the store's cycles as one self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var watch = new SettingOptions("watch:dir");
        var since = new Option<string?>("--since") { Description = "Only cycles in the last DURATION (1h, 7d, 30d, …).", HelpName = "DURATION" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the page to FILE (atomically, 0600) instead of stdout.",
            HelpName = "FILE",
        };
        var command = new Command(
            "report",
            Examples.With(
                "Write a watch store's history as one HTML page that works offline: a timeline of cycles coloured by their most severe change "
            + "(gaps where the watcher was down), changes per category and day, and each cycle that alerted, with filters and expandable changes.",
                "infradiff report --dir /var/lib/infradiff --since 30d -o drift.html"))
        {
            since,
            output,
        };
        watch.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async _ =>
        {
            var settings = WatchSettings.Bind(ConfigFile.Load(parseResult, null, watch).Settings);
            var records = await HistoryCommand.ReadAsync(settings.Directory, parseResult.GetValue(since), cancellationToken);
            var page = StoreReport.Html(settings.Directory, [.. records.Select(r => r.Record)]);
            if (parseResult.GetValue(output) is { } path && path != "-")
            {
                await OutputFile.WriteAsync(path, page, cancellationToken);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(page, cancellationToken);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
