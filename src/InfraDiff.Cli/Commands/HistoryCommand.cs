using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InfraDiff.Configuration;
using InfraDiff.Monitoring;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff history --dir STORE</c>: the watcher's cycles, one line each, from the store's reports/ folder.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var watch = new SettingOptions("watch:dir", "watch:keyFile");
        var unacknowledged = new Option<bool>("--unacknowledged") { Description = "List instead the changes the store alerted on that nobody accepted or acknowledged ('infradiff accept'), most severe first, each with its id and when it was last alerted." };
        var since = new Option<string?>("--since")
        {
            Description = "Only cycles in the last DURATION (1h, 7d, …).",
            HelpName = "DURATION",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object a line (the cycle records as stored, drift reports included)." };
        var command = new Command(
            "history",
            Examples.With(
                "List a watch store's cycles, oldest first: when, how long, what drifted by severity, whether an alert went out, and whether the "
            + "snapshot was stored or was identical to the one before. A cycle that alerted keeps its drift report (--json shows it).",
                "infradiff history --dir /var/lib/infradiff --since 7d"))
        {
            since,
            json,
            unacknowledged,
        };
        watch.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async _ =>
        {
            var settings = WatchSettings.Bind(ConfigFile.Load(parseResult, null, watch).Settings);
            await using var stdout = new StreamWriter(Console.OpenStandardOutput());
            if (parseResult.GetValue(unacknowledged))
            {
                CommonOptions.RequireStore(settings.Directory);

                var store = new SnapshotStore(settings.Directory, StoreKey.LoadExisting(settings.KeyFile));
                foreach (var (change, alertedAt) in await store.Acceptances.UnacknowledgedAsync(cancellationToken))
                {
                    await stdout.WriteLineAsync(parseResult.GetValue(json)
                        ? JsonSerializer.Serialize(new { change.Id, alertedAt, change.Severity, change.Category, change.Summary, change.Path }, SnapshotJson.Options)
                        : HostText.Visible($"{change.Id}  [{EnumNames.Of(change.Severity)}] {change.Category}: {change.Summary}  (alerted {ReportTime(alertedAt)})"));
                }

                return ExitCodes.Ok;
            }

            foreach (var (record, bytes) in await ReadAsync(settings.Directory, parseResult.GetValue(since), cancellationToken))
            {
                // The record as read (a stored one is untrusted: written again, every control character is escaped).
                await stdout.WriteLineAsync(parseResult.GetValue(json) ? JsonSerializer.Serialize(record, SnapshotJson.Options) : HostText.Visible(Line(record)));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A store's cycle records, oldest first, within --since; a file that is not a record is a warning and skipped.</summary>
    internal static Task<IReadOnlyList<(CycleRecord Record, byte[] Bytes)>> ReadAsync(string dir, string? since, CancellationToken cancellationToken) =>
        StoreHistory.ReadAsync(
            dir,
            since is not null ? DateTimeOffset.UtcNow - Duration.Parse("--since", since, waited: false) : DateTimeOffset.MinValue,
            problem => Console.Error.WriteLine($"infradiff: warning: {problem}; 'infradiff verify' checks the store"),
            cancellationToken);

    private static string ReportTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2026-11-30T02:49:07Z  0.5 s  3 changes: 1 critical, 0 high, 2 medium, 0 low; alerted; snapshot stored".</summary>
    private static string Line(CycleRecord record)
    {
        var outcome = record.Counts.Count == 0 ? "first snapshot"
            : record.Changes == 0 ? "no drift"
            : $"{record.Changes} change{(record.Changes == 1 ? "" : "s")}: " + string.Join(", ", record.Counts.Select(c => $"{c.Value} {c.Key}"));
        var notCompared = record.NotCompared > 0 ? $"; {record.NotCompared} not compared" : "";
        var alert = record.Alerted ? "; alerted" : "";
        var stored = record.Stored ? $"stored {record.Snapshot}" : $"unchanged ({record.Snapshot})";
        return $"{ReportTime(record.Time)}  {record.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s  {outcome}{notCompared}{alert}; {stored}";
    }
}
