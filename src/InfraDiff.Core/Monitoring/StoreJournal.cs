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
    /// <summary>The journal's name in the store.</summary>
    internal const string FileName = "journal.jsonl";

    /// <summary>The longest line the journal is read with: an entry is a few hundred bytes, its note at most <see cref="NoteLength"/> characters.</summary>
    internal const int MaxLine = 64 << 10;

    private const int NoteLength = 2_000;

    private static readonly JsonSerializerOptions LineOptions = new(SnapshotJson.Options) { WriteIndented = false };

    private readonly ConfinedDirectory folder;
    private readonly string headPath;
    private readonly StoreKey key;
    private readonly Dictionary<string, List<string?>> history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> lastEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> lastNotes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> writeNotes = new(StringComparer.Ordinal);

    // The file of the last entry: its previous version is still accepted (a crash between the entry and the rename).
    private string? lastFile;

    private StoreJournal(ConfinedDirectory folder, StoreKey key, string headPath)
    {
        this.folder = folder;
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

    /// <summary>Opens the journal of the store at <paramref name="directory"/>, checking every line's MAC, the chain, and the remembered head.</summary>
    /// <exception cref="InfraDiffException">There is no such store.</exception>
    public static StoreJournal Open(string directory, StoreKey key) => Open(ConfinedDirectory.Open(directory, create: false), key);

    /// <summary>Opens the journal of a store's folder, the remembered head read before the journal (a watcher writes it after), so the two agree.</summary>
    internal static StoreJournal Open(ConfinedDirectory folder, StoreKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var journal = new StoreJournal(folder, key, HeadPathFor(folder.Path, key));
        journal.Read();
        return journal;
    }

    /// <summary>Whether another process has written to the journal since this one read it (the remembered head has moved on): it must be read again.</summary>
    internal bool IsBehind() => ReadHead() is { } head && (head.Seq != Sequence || head.Head != Head);

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

    /// <summary>
    /// Whether <paramref name="name"/> may be a file whose write is under way: the journal's newest entry writes it,
    /// less than <paramref name="within"/> ago (a watcher journals a file, remembers the head with a flush to disk,
    /// then writes the file).
    /// </summary>
    internal bool MayBeWriting(string name, TimeSpan within) => name == lastFile && LastWriteAt is { } at && DateTimeOffset.UtcNow - at < within;

    /// <summary>When the newest entry was written, when it records a write.</summary>
    private DateTimeOffset? LastWriteAt { get; set; }

    /// <summary>Whether the journal says <paramref name="name"/> is present, or its last entry is about it (a crash may have stopped that entry's write or deletion halfway).</summary>
    internal bool Knows(string name) => name == lastFile || (history.TryGetValue(name, out var hashes) && hashes.Count > 0 && hashes[^1] is not null);

    /// <summary>The files the journal says are present, with the hash each must have.</summary>
    public IEnumerable<(string Name, string Sha256)> Present() =>
        history.Where(h => h.Value.Count > 0 && h.Value[^1] is not null).Select(h => (h.Key, h.Value[^1]!));

    /// <summary>The last event the journal recorded for a file ("write", "adopt", "delete", "quarantine", "missing"), or null.</summary>
    public string? LastEvent(string name) => lastEvents.GetValueOrDefault(name);

    /// <summary>When the journal last recorded a store event such as "heartbeat", or null.</summary>
    public DateTimeOffset? LastNote(string eventName) => lastNotes.TryGetValue(eventName, out var time) ? time : null;

    /// <summary>What the journal's last write of a present file said of it (an outbox entry: the alert it holds), or null.</summary>
    public string? WriteNote(string name) => writeNotes.GetValueOrDefault(name);

    /// <summary>Records a write of <paramref name="name"/> with <paramref name="content"/>, and what it is (<paramref name="note"/>, cut to 2,000 characters); call before the file is renamed into place.</summary>
    public void Written(string name, ReadOnlySpan<byte> content, string eventName = "write", string? note = null) =>
        Append(eventName, name, Convert.ToHexStringLower(SHA256.HashData(content)), note is null ? null : Excerpt.Cut(note, NoteLength));

    /// <summary>Records that <paramref name="name"/> is gone (deleted, pruned, moved to quarantine).</summary>
    public void Removed(string name, string eventName = "delete", string? note = null) => Append(eventName, name, null, note);

    /// <summary>Records an event about the store itself (a baseline reset, a new chain after a broken one).</summary>
    public void Note(string eventName, string note) => Append(eventName, "", null, note);

    private void Append(string eventName, string name, string? sha256, string? note)
    {
        var line = new Line(Sequence + 1, DateTimeOffset.UtcNow, eventName, name, sha256, note, Head);
        var unsigned = JsonSerializer.SerializeToUtf8Bytes(line, LineOptions);
        var signed = JsonSerializer.SerializeToUtf8Bytes(line with { Mac = Convert.ToHexStringLower(key.Mac(unsigned)) }, LineOptions);
        // The line and its end in one write: a reader never sees half an entry followed by the next.
        folder.Append(FileName, [.. signed, (byte)'\n']);
        Apply(line, signed);
        RememberHead();
    }

    private void Apply(Line line, byte[] signed)
    {
        Sequence = line.Seq;
        LastWriteAt = line.Sha256 is null ? null : line.Time;
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

            // Only the last two versions count (the last, and the one a crash mid-write leaves): memory stays with the files present.
            hashes.Add(line.Sha256);
            if (hashes.Count > 2)
            {
                hashes.RemoveAt(0);
            }

            lastFile = line.File;
            lastEvents[line.File] = line.Event;
            if (line.Sha256 is null)
            {
                writeNotes.Remove(line.File);
            }
            else if (line.Note is { } note)
            {
                writeNotes[line.File] = note;
            }
            else
            {
                writeNotes.Remove(line.File);
            }
        }
    }

    /// <summary>Forgets the files a store deleted on purpose (pruned snapshots and records), but for the last entry's: the journal's memory is that of the files present.</summary>
    private void ForgetDeleted()
    {
        foreach (var name in lastEvents.Where(e => e.Value == "delete" && e.Key != lastFile).Select(e => e.Key).ToList())
        {
            history.Remove(name);
            lastEvents.Remove(name);
        }
    }

    private void Read()
    {
        var problems = new List<string>();
        var remembered = ReadHead();
        var number = 0;
        try
        {
            foreach (var raw in folder.ReadLines(FileName, MaxLine))
            {
                number++;
                if (Entry(raw, number) is { } problem)
                {
                    problems.Add(problem);
                    break;
                }
            }
        }
        catch (ConfinedFileException ex)
        {
            problems.Add($"{FileName}: {ex.Reason}");
        }

        ForgetDeleted();
        if (problems.Count == 0 && remembered is { } head && (head.Seq > Sequence || (head.Seq == Sequence && head.Head != Head)))
        {
            problems.Add($"the journal ends at entry {Sequence}, but entry {head.Seq} (head {head.Head[..16]}…) was written: the store was rolled back or the journal cut short");
        }

        Problems = problems;
    }

    /// <summary>Checks and applies one line; the problem when it is not the chain's next entry.</summary>
    private string? Entry(byte[] raw, int number)
    {
        Line? line;
        try
        {
            line = JsonSerializer.Deserialize<Line>(raw, LineOptions);
        }
        catch (JsonException)
        {
            line = null;
        }

        if (line?.Mac is not { Length: 64 } mac || !mac.All(char.IsAsciiHexDigit) || line.Event is null || line.File is null || line.Prev is null)
        {
            return $"journal line {number} is not a journal entry";
        }

        var unsigned = JsonSerializer.SerializeToUtf8Bytes(line with { Mac = null }, LineOptions);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(mac), key.Mac(unsigned)))
        {
            return $"journal entry {line.Seq} (line {number}) fails its MAC: edited, or written under another key";
        }

        if (line.Seq != Sequence + 1 || line.Prev != Head)
        {
            return $"journal entry {line.Seq} (line {number}) does not follow entry {Sequence}: an entry was removed or reordered";
        }

        Apply(line, raw);
        return null;
    }

    /// <summary>Starts a new chain after a broken one was reported, so the store can go on; the break stays in the quarantined journal.</summary>
    internal void StartOver(string reason)
    {
        // Moved as it is, whatever it is (a link is moved, not followed).
        if (folder.TypeOf(FileName) is not null)
        {
            folder.Move(FileName, $"journal.broken-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.jsonl");
        }

        history.Clear();
        lastEvents.Clear();
        lastNotes.Clear();
        writeNotes.Clear();
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
            var parts = Encoding.UTF8.GetString(InputFile.ReadAllBytes(headPath, 256)).Split(' ');
            var text = $"{parts[0]} {parts[1]}";
            return parts.Length == 3 && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(parts[2]), key.Mac(Encoding.UTF8.GetBytes(text)))
                ? (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1])
                : null;
        }
        catch (Exception ex) when (ex is InfraDiffException or IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
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
