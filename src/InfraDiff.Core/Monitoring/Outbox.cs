using System.Globalization;
using System.Text.Json;
using InfraDiff.Host;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// Alerts not yet delivered to every sink, one file each, oldest first. An alert is written here before anything
/// is sent, and removed only once every sink has it, so no alert is lost to a receiver outage or a crash.
/// </summary>
internal sealed class Outbox
{
    /// <summary>One pending alert, the sinks that already have it, and the sinks that refused it for good (with why).</summary>
    public sealed record Entry(DriftAlert Alert, IReadOnlyList<string> DeliveredTo)
    {
        /// <summary>Sink name → the receiver's refusal: these sinks are not sent this alert again unless it is retried by hand.</summary>
        public IReadOnlyDictionary<string, string> RefusedBy { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private readonly SnapshotStore store;

    internal Outbox(string directory, SnapshotStore store)
    {
        Directory = directory;
        this.store = store;
        AtomicFile.CreateDirectory(directory);
    }

    /// <summary>The outbox folder.</summary>
    public string Directory { get; }

    /// <summary>Where alerts a receiver refused for good are kept (<c>outbox/dead</c>), for an operator to read and retry.</summary>
    public string DeadDirectory => Path.Join(Directory, "dead");

    /// <summary>How many alerts wait.</summary>
    public int Count => Files().Count;

    /// <summary>How many alerts were refused for good and set aside.</summary>
    public int DeadCount => System.IO.Directory.Exists(DeadDirectory) ? System.IO.Directory.EnumerateFiles(DeadDirectory, "*.json").Count() : 0;

    /// <summary>Puts every dead alert back in the queue, forgetting the refusals, and returns how many.</summary>
    public async Task<int> RequeueDeadAsync(CancellationToken cancellationToken = default)
    {
        if (!System.IO.Directory.Exists(DeadDirectory))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(DeadDirectory, "*.json").Order(StringComparer.Ordinal).ToList())
        {
            if (await store.ReadTrustedAsync(file, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            var entry = JsonSerializer.Deserialize<Entry>(bytes, SnapshotJson.Options)!;
            await WriteAsync(Path.Join(Directory, Path.GetFileName(file)), entry with { RefusedBy = new Dictionary<string, string>(StringComparer.Ordinal) }, cancellationToken).ConfigureAwait(false);
            store.DeleteFile(file);
            count++;
        }

        return count;
    }

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
        // An entry the journal says is waiting and that is gone was deleted behind the store's back: said once, loudly.
        foreach (var (name, _) in store.Journal.Present().Where(p => p.Name.StartsWith("outbox" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !p.Name.Contains("dead", StringComparison.Ordinal)).ToList())
        {
            if (!File.Exists(Path.Join(store.Directory, name)))
            {
                store.Missing(name, "an undelivered alert was deleted behind the store's back; it will not be delivered");
            }
        }

        var entries = new List<(string, Entry)>();
        foreach (var file in Files())
        {
            // An entry that cannot be read (garbage, "{}", cut short) is quarantined: the rest of the queue goes on.
            try
            {
                if (await store.ReadTrustedAsync(file, cancellationToken).ConfigureAwait(false) is not { } bytes)
                {
                    continue;
                }

                var entry = JsonSerializer.Deserialize<Entry>(bytes, SnapshotJson.Options);
                if (entry?.Alert?.Report is not { Before: not null, After: not null, Changes: not null } || entry.DeliveredTo is null || string.IsNullOrEmpty(entry.Alert.IdempotencyKey))
                {
                    throw new JsonException("not an outbox entry");
                }

                entries.Add((file, entry));
            }
            catch (JsonException ex)
            {
                store.Quarantine(file, $"unreadable outbox entry: {ex.Message.Split(" Path:")[0]}");
            }
        }

        return entries;
    }

    /// <summary>
    /// Records the sinks that now have an entry's alert, or, once every sink has it or refused it for good, removes
    /// the entry (to <see cref="DeadDirectory"/> when any sink refused it).
    /// </summary>
    public async Task UpdateAsync(string path, Entry entry, bool complete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (complete && entry.RefusedBy.Count > 0)
        {
            AtomicFile.CreateDirectory(DeadDirectory);
            await WriteAsync(Path.Join(DeadDirectory, Path.GetFileName(path)), entry, cancellationToken).ConfigureAwait(false);
            store.DeleteFile(path);
        }
        else if (complete)
        {
            store.DeleteFile(path);
        }
        else
        {
            await WriteAsync(path, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<string> Files() => [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)];

    private Task WriteAsync(string path, Entry entry, CancellationToken cancellationToken) =>
        store.WriteFileAsync(path, JsonSerializer.SerializeToUtf8Bytes(entry, SnapshotJson.Options), cancellationToken);
}
