using System.Globalization;
using System.Text.Json;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// Alerts not yet delivered to every sink, one file each, oldest first. An alert is written here before anything
/// is sent, and removed only once every sink has it, so no alert is lost to a receiver outage or a crash. Each entry's
/// write is journalled with the alert it holds, and its removal too: an entry that disappears otherwise is named.
/// </summary>
internal sealed class Outbox
{
    private const string Folder = "outbox";
    private const string DeadFolder = "outbox/dead";

    /// <summary>One pending alert, the sinks that already have it, and the sinks that refused it for good (with why).</summary>
    public sealed record Entry(DriftAlert Alert, IReadOnlyList<string> DeliveredTo)
    {
        /// <summary>Sink name → the receiver's refusal: these sinks are not sent this alert again unless it is retried by hand.</summary>
        public IReadOnlyDictionary<string, string> RefusedBy { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private readonly SnapshotStore store;

    internal Outbox(SnapshotStore store) => this.store = store;

    /// <summary>The outbox folder.</summary>
    public string Directory => Path.Join(store.Directory, Folder);

    /// <summary>Where alerts a receiver refused for good are kept (<c>outbox/dead</c>), for an operator to read and retry.</summary>
    public string DeadDirectory => Path.Join(store.Directory, DeadFolder);

    /// <summary>How many alerts wait.</summary>
    public int Count => store.Files(Folder).Count;

    /// <summary>How many alerts were refused for good and set aside.</summary>
    public int DeadCount => store.Files(DeadFolder).Count;

    /// <summary>Puts every dead alert back in the queue, forgetting the refusals, and returns how many.</summary>
    public async Task<int> RequeueDeadAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        foreach (var (file, entry) in await ReadAsync(store.Files(DeadFolder), cancellationToken).ConfigureAwait(false))
        {
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
        if (store.Files(Folder).Any(f => f.EndsWith($"-{alert.IdempotencyKey}.json", StringComparison.Ordinal)))
        {
            return;
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        await WriteAsync(Path.Join(Directory, $"{stamp}-{alert.IdempotencyKey}.json"), new Entry(alert, []), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The waiting alerts, oldest first, with where each was read from.</summary>
    public Task<List<(string Path, Entry Entry)>> PendingAsync(CancellationToken cancellationToken = default) => ReadAsync(store.Files(Folder), cancellationToken);

    /// <summary>Why a store file's disappearance matters, when it was an outbox entry: the alert it held (<paramref name="note"/>, from the journal) is lost; null for any other file.</summary>
    public static string? Vanished(string name, string? note) =>
        name.StartsWith(DeadFolder + "/", StringComparison.Ordinal) ? $"{note ?? "an alert"}, refused by a receiver and set aside, was deleted behind the store's back; it cannot be retried"
        : name.StartsWith(Folder + "/", StringComparison.Ordinal) ? $"{note ?? "an alert"}, not yet delivered, was deleted behind the store's back; it will not be delivered"
        : null;

    /// <summary>
    /// Records the sinks that now have an entry's alert, or, once every sink has it or refused it for good, removes
    /// the entry (to <see cref="DeadDirectory"/> when any sink refused it).
    /// </summary>
    public async Task UpdateAsync(string path, Entry entry, bool complete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (complete && entry.RefusedBy.Count > 0)
        {
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

    /// <summary>The entries of <paramref name="files"/> the journal vouches for; one that cannot be read (garbage, "{}", cut short) is quarantined and the rest go on.</summary>
    private async Task<List<(string, Entry)>> ReadAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var entries = new List<(string, Entry)>();
        foreach (var file in files)
        {
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

    /// <summary>Writes an entry, journalled with the alert it holds ("alert KEY: 3 changes: 1 critical, …").</summary>
    private Task WriteAsync(string path, Entry entry, CancellationToken cancellationToken) =>
        store.WriteFileAsync(path, JsonSerializer.SerializeToUtf8Bytes(entry, SnapshotJson.Options), cancellationToken, $"alert {entry.Alert.IdempotencyKey}: {ReportView.Of(entry.Alert.Report).SummaryLine}");
}
