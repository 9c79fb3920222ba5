using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Host;
using InfraDiff.Snapshots;

namespace InfraDiff.Monitoring;

/// <summary>
/// The store's append-only, hash-chained journal (<c>journal.jsonl</c>): one line per write, deletion or
/// quarantine of a store file, each holding the SHA-256 of the line before it and an HMAC-SHA256 under the store key.
/// The journal says what every store file must contain, so an edited, forged, deleted or rolled-back file is caught;
/// its head (sequence number and hash) is remembered beside the key, outside the store, so a rolled-back journal is
/// caught too.
/// </summary>
public sealed class StoreJournal
{
    private const string FileName = "journal.jsonl";

    private static readonly JsonSerializerOptions LineOptions = new(SnapshotJson.Options) { WriteIndented = false };

    private readonly string path;
    private readonly string headPath;
    private readonly StoreKey key;
    private readonly Dictionary<string, List<string?>> history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> lastEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> lastNotes = new(StringComparer.Ordinal);

    // The file of the last entry: its previous version is still accepted (a crash between the entry and the rename).
    private string? lastFile;

    private StoreJournal(string directory, StoreKey key, string headPath)
    {
        path = Path.Join(directory, FileName);
        this.key = key;
        this.headPath = headPath;
    }

    /// <summary>The last line's sequence number (0 for an empty journal).</summary>
    public long Sequence { get; private set; }

    /// <summary>The SHA-256 of the last line: what an off-host receiver remembers to detect a rollback.</summary>
    public string Head { get; private set; } = new('0', 64);

    /// <summary>Problems found when the journal was read: the first broken link, a rollback; empty when intact.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>One journal line.</summary>
    internal sealed record Line(
        long Seq,
        DateTimeOffset Time,
        string Event,
        string File,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sha256,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note,
        string Prev,
        string? Mac = null);

    /// <summary>Opens the journal of a store, checking every line's MAC, the chain, and the remembered head.</summary>
    public static StoreJournal Open(string directory, StoreKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var headPath = HeadPathFor(directory, key);
        var journal = new StoreJournal(directory, key, headPath);
        journal.Read();
        return journal;
    }

    /// <summary>Whether the journal has any line (a store made before journals existed has none).</summary>
    public bool IsEmpty => Sequence == 0;

    /// <summary>Whether a file's content is what the journal last recorded for it (or the one before, when the last line is its unfinished write).</summary>
    public FileVerdict Check(string name, byte[]? content)
    {
        if (!history.TryGetValue(name, out var hashes) || hashes.Count == 0)
        {
            return content is null ? FileVerdict.Absent : FileVerdict.Unknown;
        }

        var expected = hashes[^1];
        var actual = content is null ? null : Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual == expected)
        {
            return content is null ? FileVerdict.Absent : FileVerdict.Intact;
        }

        // A crash between a journal line and its rename leaves the previous version: not tampering.
        return hashes.Count > 1 && hashes[^2] == actual && lastFile == name ? FileVerdict.Intact : content is null ? FileVerdict.Missing : FileVerdict.Tampered;
    }

    /// <summary>The files the journal says are present, with the hash each must have.</summary>
    public IEnumerable<(string Name, string Sha256)> Present() =>
        history.Where(h => h.Value.Count > 0 && h.Value[^1] is not null).Select(h => (h.Key, h.Value[^1]!));

    /// <summary>The last event the journal recorded for a file ("write", "adopt", "delete", "quarantine", "missing"), or null.</summary>
    public string? LastEvent(string name) => lastEvents.GetValueOrDefault(name);

    /// <summary>When the journal last recorded a store event such as "heartbeat", or null.</summary>
    public DateTimeOffset? LastNote(string eventName) => lastNotes.TryGetValue(eventName, out var time) ? time : null;

    /// <summary>Records a write of <paramref name="name"/> with <paramref name="content"/>; call before the file is renamed into place.</summary>
    public void Written(string name, ReadOnlySpan<byte> content, string eventName = "write") =>
        Append(eventName, name, Convert.ToHexStringLower(SHA256.HashData(content)), null);

    /// <summary>Records that <paramref name="name"/> is gone (deleted, pruned, moved to quarantine).</summary>
    public void Removed(string name, string eventName = "delete", string? note = null) => Append(eventName, name, null, note);

    /// <summary>Records an event about the store itself (a baseline reset, a new chain after a broken one).</summary>
    public void Note(string eventName, string note) => Append(eventName, "", null, note);

    private void Append(string eventName, string name, string? sha256, string? note)
    {
        var line = new Line(Sequence + 1, DateTimeOffset.UtcNow, eventName, name, sha256, note, Head);
        var unsigned = JsonSerializer.SerializeToUtf8Bytes(line, LineOptions);
        var signed = JsonSerializer.SerializeToUtf8Bytes(line with { Mac = Convert.ToHexStringLower(key.Mac(unsigned)) }, LineOptions);
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, UnixCreateMode = AtomicFile.OwnerOnly }))
        {
            stream.Write(signed);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }

        Apply(line, signed);
        RememberHead();
    }

    private void Apply(Line line, byte[] signed)
    {
        Sequence = line.Seq;
        Head = Convert.ToHexStringLower(SHA256.HashData(signed));
        if (line.File.Length == 0)
        {
            lastNotes[line.Event] = line.Time;
        }
        else
        {
            if (!history.TryGetValue(line.File, out var hashes))
            {
                history[line.File] = hashes = [];
            }

            hashes.Add(line.Sha256);
            lastFile = line.File;
            lastEvents[line.File] = line.Event;
        }
    }

    private void Read()
    {
        var problems = new List<string>();
        if (File.Exists(path))
        {
            var number = 0;
            foreach (var raw in File.ReadAllLines(path))
            {
                number++;
                Line? line;
                try
                {
                    line = JsonSerializer.Deserialize<Line>(raw, LineOptions);
                }
                catch (JsonException)
                {
                    line = null;
                }

                if (line?.Mac is null)
                {
                    problems.Add($"journal line {number} is not a journal entry");
                    break;
                }

                var unsigned = JsonSerializer.SerializeToUtf8Bytes(line with { Mac = null }, LineOptions);
                if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(line.Mac), key.Mac(unsigned)))
                {
                    problems.Add($"journal entry {line.Seq} (line {number}) fails its MAC: edited, or written under another key");
                    break;
                }

                if (line.Seq != Sequence + 1 || line.Prev != Head)
                {
                    problems.Add($"journal entry {line.Seq} (line {number}) does not follow entry {Sequence}: an entry was removed or reordered");
                    break;
                }

                Apply(line, Encoding.UTF8.GetBytes(raw));
            }
        }

        if (ReadHead() is { } remembered && (remembered.Seq > Sequence || (remembered.Seq == Sequence && remembered.Head != Head)))
        {
            problems.Add($"the journal ends at entry {Sequence}, but entry {remembered.Seq} (head {remembered.Head[..16]}…) was written: the store was rolled back or the journal cut short");
        }

        Problems = problems;
    }

    /// <summary>Starts a new chain after a broken one was reported, so the store can go on; the break stays in the quarantined journal.</summary>
    internal void StartOver(string reason)
    {
        if (File.Exists(path))
        {
            File.Move(path, Path.Join(Path.GetDirectoryName(path)!, $"journal.broken-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.jsonl"), overwrite: true);
        }

        history.Clear();
        lastEvents.Clear();
        lastNotes.Clear();
        Sequence = 0;
        Head = new string('0', 64);
        lastFile = null;
        Problems = [];
        Note("restart", reason);
    }

    private static string HeadPathFor(string directory, StoreKey key)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..16];
        var folder = key.Source.StartsWith('/') ? Path.GetDirectoryName(key.Source)! : CacheDirectory.Default();
        return Path.Join(folder, $"store-{id}.head");
    }

    private (long Seq, string Head)? ReadHead()
    {
        try
        {
            var parts = File.ReadAllText(headPath).Split(' ');
            var text = $"{parts[0]} {parts[1]}";
            return parts.Length == 3 && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(parts[2]), key.Mac(Encoding.UTF8.GetBytes(text)))
                ? (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1])
                : null;
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void RememberHead()
    {
        var text = $"{Sequence.ToString(CultureInfo.InvariantCulture)} {Head}";
        AtomicFile.CreateDirectory(Path.GetDirectoryName(headPath)!);
        AtomicFile.WriteAsync(headPath, Encoding.UTF8.GetBytes($"{text} {Convert.ToHexStringLower(key.Mac(Encoding.UTF8.GetBytes(text)))}")).GetAwaiter().GetResult();
    }
}
