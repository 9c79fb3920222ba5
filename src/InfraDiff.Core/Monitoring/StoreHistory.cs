using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>A watch store's cycle records (its reports/ folder), as <c>infradiff history</c> lists them and its HTML page draws them.</summary>
public static class StoreHistory
{
    /// <summary>The records of the store at <paramref name="directory"/> since <paramref name="since"/>, oldest first, each with its bytes as stored; a file that is not a record is told to <paramref name="skipped"/> and left out.</summary>
    /// <exception cref="InfraDiffException">There is no such store.</exception>
    public static Task<IReadOnlyList<(CycleRecord Record, byte[] Bytes)>> ReadAsync(string directory, DateTimeOffset since, Action<string>? skipped = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new InfraDiffException($"{directory}: no such store");
        }

        var records = new List<(CycleRecord, byte[])>();
        foreach (var (file, read, problem) in SnapshotStore.ReadCycleRecords(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (read is not { } bytes)
            {
                if (problem is not null)
                {
                    skipped?.Invoke($"{file}: {problem}");
                }

                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<CycleRecord>(bytes, SnapshotJson.Options) is { } record && record.Time >= since)
                {
                    records.Add((record, bytes));
                }
            }
            catch (JsonException ex)
            {
                skipped?.Invoke($"{file}: not a cycle record ({ex.Message.Split(" Path:")[0]})");
            }
        }

        return Task.FromResult<IReadOnlyList<(CycleRecord Record, byte[] Bytes)>>(records);
    }
}
