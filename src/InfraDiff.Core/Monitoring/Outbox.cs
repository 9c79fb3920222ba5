using System.Globalization;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// Alerts not yet delivered to every sink, one file each, oldest first. An alert is written here before anything
/// is sent, and removed only once every sink has it, so no alert is lost to a receiver outage or a crash.
/// </summary>
public sealed class Outbox
{
    /// <summary>One pending alert and the sinks that already have it.</summary>
    public sealed record Entry(DriftAlert Alert, IReadOnlyList<string> DeliveredTo);

    internal Outbox(string directory)
    {
        Directory = directory;
        AtomicFile.CreateDirectory(directory);
    }

    /// <summary>The outbox folder.</summary>
    public string Directory { get; }

    /// <summary>How many alerts wait.</summary>
    public int Count => Files().Count;

    /// <summary>Adds an alert unless one with the same idempotency key already waits.</summary>
    public async Task EnqueueAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (Files().Any(f => f.EndsWith($"-{alert.IdempotencyKey}.json", StringComparison.Ordinal)))
        {
            return;
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        await WriteAsync(Path.Join(Directory, $"{stamp}-{alert.IdempotencyKey}.json"), new Entry(alert, []), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The waiting alerts, oldest first, with where each was read from.</summary>
    public async Task<IReadOnlyList<(string Path, Entry Entry)>> PendingAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<(string, Entry)>();
        foreach (var file in Files())
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            entries.Add((file, JsonSerializer.Deserialize<Entry>(bytes, SnapshotJson.Options)!));
        }

        return entries;
    }

    /// <summary>Records the sinks that now have an entry's alert, or removes the entry once all of them do.</summary>
    public async Task UpdateAsync(string path, Entry entry, bool complete, CancellationToken cancellationToken = default)
    {
        if (complete)
        {
            File.Delete(path);
        }
        else
        {
            await WriteAsync(path, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<string> Files() => [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)];

    private static Task WriteAsync(string path, Entry entry, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(entry, SnapshotJson.Options), cancellationToken);
}
