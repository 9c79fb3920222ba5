using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InfraDiff.Monitoring;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Commands;

/// <summary><c>infradiff history --dir STORE</c>: the watcher's cycles, one line each, from the store's reports/ folder.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var settings = new WatchSettings();
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
            settings.Dir,
            since,
            json,
        };

        command.SetAction((parseResult, cancellationToken) => CommonOptions.RunAsync(parseResult, async _ =>
        {
            var resolved = settings.Resolve(parseResult, ConfigFile.Load(parseResult));
            await using var stdout = new StreamWriter(Console.OpenStandardOutput());
            foreach (var (record, bytes) in await ReadAsync(resolved.Dir, parseResult.GetValue(since), cancellationToken))
            {
                await stdout.WriteLineAsync(parseResult.GetValue(json) ? System.Text.Encoding.UTF8.GetString(bytes) : Line(record));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A store's cycle records, oldest first, within --since; a file that is not a record is a warning and skipped.</summary>
    internal static async Task<List<(CycleRecord Record, byte[] Bytes)>> ReadAsync(string dir, string? since, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dir))
        {
            throw new InfraDiffException($"{dir}: no such store (give --dir or set SNAPSHOT_DIR)");
        }

        var from = since is not null ? DateTimeOffset.UtcNow - WatchSettings.Duration("--since", since, waited: false) : DateTimeOffset.MinValue;
        var records = new List<(CycleRecord, byte[])>();
        foreach (var file in SnapshotStore.CycleFilesIn(Path.GetFullPath(dir)))
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            try
            {
                if (JsonSerializer.Deserialize<CycleRecord>(bytes, SnapshotJson.Options) is { } record && record.Time >= from)
                {
                    records.Add((record, bytes));
                }
            }
            catch (JsonException ex)
            {
                Console.Error.WriteLine($"infradiff: warning: {Path.GetFileName(file)}: not a cycle record ({ex.Message.Split(" Path:")[0]}); 'infradiff verify' checks the store");
            }
        }

        return records;
    }

    /// <summary>"2026-11-30T02:49:07Z  0.5 s  3 changes: 1 critical, 0 high, 2 medium, 0 low; alerted; snapshot stored".</summary>
    private static string Line(CycleRecord record)
    {
        var outcome = record.Counts.Count == 0 ? "first snapshot"
            : record.Changes == 0 ? "no drift"
            : $"{record.Changes} change{(record.Changes == 1 ? "" : "s")}: " + string.Join(", ", record.Counts.Select(c => $"{c.Value} {c.Key}"));
        var notCompared = record.NotCompared > 0 ? $"; {record.NotCompared} not compared" : "";
        var alert = record.Alerted ? "; alerted" : "";
        var stored = record.Stored ? $"stored {record.Snapshot}" : $"unchanged ({record.Snapshot})";
        return $"{record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}  {record.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s  {outcome}{notCompared}{alert}; {stored}";
    }
}
