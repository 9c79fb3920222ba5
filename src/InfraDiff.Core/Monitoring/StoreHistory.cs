using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>A watch store's cycle records (its reports/ folder), as <c>infradiff history</c> lists them and its HTML page draws them.</summary>
public static class StoreHistory
{
    /// <summary>The records of the store at <paramref name="directory"/> since <paramref name="since"/>, oldest first, each with its bytes as stored; a file that is not a record is told to <paramref name="skipped"/> and left out.</summary>
    /// <exception cref="InfraDiffException">There is no such store.</exception>
    public static async Task<IReadOnlyList<(CycleRecord Record, byte[] Bytes)>> ReadAsync(string directory, DateTimeOffset since, Action<string>? skipped = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new InfraDiffException($"{directory}: no such store");
        }

        var records = new List<(CycleRecord, byte[])>();
        foreach (var file in SnapshotStore.CycleFilesIn(Path.GetFullPath(directory)))
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            try
            {
                if (JsonSerializer.Deserialize<CycleRecord>(bytes, SnapshotJson.Options) is { } record && record.Time >= since)
                {
                    records.Add((record, bytes));
                }
            }
            catch (JsonException ex)
            {
                skipped?.Invoke($"{Path.GetFileName(file)}: not a cycle record ({ex.Message.Split(" Path:")[0]})");
            }
        }

        return records;
    }
}
