using System.Globalization;
using InfraDiff.Alerting;
using InfraDiff.Host;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Monitoring;

/// <summary>
/// A directory of snapshots named by UTC time, a baseline, an outbox of undelivered alerts, and a lock so two
/// watchers never share it. Every file is written atomically and 0600.
/// </summary>
public sealed class SnapshotStore
{
    private const string Prefix = "snapshot-";
    private const string BaselineName = "baseline.json";
    private const string ReportsFolder = "reports";
    private const string CyclePrefix = "cycle-";

    private readonly List<QuarantinedFile> quarantined = [];
    private readonly StoreKey key;
    private StoreJournal? journal;

    /// <summary>Opens (creating, 0700) a store directory, its journal authenticated with <paramref name="key"/> (default: <see cref="StoreKey.Load"/>).</summary>
    public SnapshotStore(string directory, StoreKey? key = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        AtomicFile.CreateDirectory(Directory);
        this.key = key ?? StoreKey.Load();
        Outbox = new Outbox(Path.Join(Directory, "outbox"), this);
    }

    /// <summary>
    /// The store's journal, opened on first use (under the lock): a broken chain or a rollback is reported as a
    /// quarantined "journal.jsonl" and a new chain begins; the files of a store that had no journal are adopted.
    /// </summary>
    public StoreJournal Journal
    {
        get
        {
            if (journal is not null)
            {
                return journal;
            }

            journal = StoreJournal.Open(Directory, key);
            if (journal.Problems.Count > 0)
            {
                quarantined.Add(new QuarantinedFile("journal.jsonl", "journal.broken-*.jsonl", $"{string.Join("; ", journal.Problems)}; a new journal begins and the files present are trusted from now on"));
                journal.StartOver(journal.Problems[0]);
            }

            if (journal.Sequence <= 1)
            {
                // Files already here (a store from before journals, or after a broken chain) are trusted from now on.
                foreach (var file in StoreFiles())
                {
                    journal.Written(NameOf(file), File.ReadAllBytes(file), "adopt");
                }
            }

            return journal;
        }
    }

    internal IEnumerable<string> StoreFiles() => FilesIn(Directory);

    /// <summary>The files a store's journal speaks for: snapshots, the baseline, the alert state, outbox entries (dead ones too), cycle reports.</summary>
    internal static IEnumerable<string> FilesIn(string directory)
    {
        var outbox = Path.Join(directory, "outbox");
        var dead = Path.Join(outbox, "dead");
        var reports = Path.Join(directory, ReportsFolder);
        return System.IO.Directory.EnumerateFiles(directory, "*.json")
            .Concat(System.IO.Directory.Exists(outbox) ? System.IO.Directory.EnumerateFiles(outbox, "*.json") : [])
            .Concat(System.IO.Directory.Exists(dead) ? System.IO.Directory.EnumerateFiles(dead, "*.json") : [])
            .Concat(System.IO.Directory.Exists(reports) ? System.IO.Directory.EnumerateFiles(reports, "*.json") : [])
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>A store file's name as the journal records it ("outbox/….json").</summary>
    internal string NameOf(string path) => Path.GetRelativePath(Directory, path);

    /// <summary>Writes a store file: recorded in the journal first, then written atomically (0600).</summary>
    internal async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Journal.Written(NameOf(path), content.Span);
        await AtomicFile.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a store file, recorded in the journal.</summary>
    internal void DeleteFile(string path)
    {
        Journal.Removed(NameOf(path));
        File.Delete(path);
    }

    /// <summary>
    /// A store file's bytes when the journal vouches for them; a file it does not (edited, forged) is quarantined
    /// as tampered and null returned, as for a file that is not there.
    /// </summary>
    internal async Task<byte[]?> ReadTrustedAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        switch (Journal.Check(NameOf(path), bytes))
        {
            case FileVerdict.Intact:
                return bytes;
            case FileVerdict.Unknown:
                Quarantine(path, "tampered: the journal never recorded this file (forged, or written by something else)");
                return null;
            default:
                Quarantine(path, "tampered: its content differs from what the journal recorded");
                return null;
        }
    }

    /// <summary>Where files the store could not trust are moved (<c>quarantine/</c>), kept for an operator to read.</summary>
    public string QuarantineDirectory => Path.Join(Directory, "quarantine");

    /// <summary>The files moved to quarantine since the last call, with why; the monitor alerts on them.</summary>
    public IReadOnlyList<QuarantinedFile> TakeQuarantined()
    {
        var taken = quarantined.ToList();
        quarantined.Clear();
        return taken;
    }

    /// <summary>Records, once, that a file the journal vouched for is gone, for the monitor's store alert.</summary>
    internal void Missing(string name, string reason)
    {
        Journal.Removed(name, "missing", reason);
        quarantined.Add(new QuarantinedFile(name, "", reason));
    }

    /// <summary>
    /// Moves a file the store cannot trust (corrupt, truncated, foreign) into quarantine under a time-stamped name,
    /// so one bad file never stops the loop, and remembers it for an alert.
    /// </summary>
    internal void Quarantine(string path, string reason)
    {
        Journal.Removed(NameOf(path), "quarantine", reason);
        AtomicFile.CreateDirectory(QuarantineDirectory);
        var target = Path.Join(QuarantineDirectory, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{Path.GetFileName(path)}");
        File.Move(path, target, overwrite: true);
        quarantined.Add(new QuarantinedFile(Path.GetRelativePath(Directory, path), target, $"{reason}; moved to quarantine"));
    }

    /// <summary>The store's folder.</summary>
    public string Directory { get; }

    /// <summary>Alerts waiting to be delivered.</summary>
    internal Outbox Outbox { get; }

    /// <summary>Alerts waiting to be delivered (a cycle's alerts until every sink has taken them).</summary>
    public int PendingAlertCount => Outbox.Count;

    /// <summary>Alerts a receiver refused for good, set aside in outbox/dead.</summary>
    public int DeadAlertCount => Outbox.DeadCount;

    /// <summary>Puts the alerts receivers refused back in the queue, to be delivered by the next cycle or <see cref="DriftMonitor.DeliverAsync"/>; returns how many.</summary>
    public Task<int> RequeueDeadAlertsAsync(CancellationToken cancellationToken = default) => Outbox.RequeueDeadAsync(cancellationToken);

    /// <summary>
    /// Sends the alerts receivers refused for good (outbox/dead) again, to <paramref name="sinks"/>, under the store's
    /// lock (a watcher on the store must be stopped first): once a receiver is fixed, nothing it refused is lost.
    /// </summary>
    /// <returns>How many were requeued, how many still wait (a receiver failed), and how many were refused again.</returns>
    /// <exception cref="InfraDiffException">Another watcher holds the store.</exception>
    public async Task<(int Requeued, int Waiting, int RefusedAgain)> RetryDeadAlertsAsync(IReadOnlyList<IAlertSink> sinks, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        using var storeLock = Lock();
        var requeued = await RequeueDeadAlertsAsync(cancellationToken).ConfigureAwait(false);
        var waiting = await AlertDelivery.DeliverAsync(Outbox, sinks, logger ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        return (requeued, waiting, DeadAlertCount);
    }

    /// <summary>The baseline's path.</summary>
    public string BaselinePath => Path.Join(Directory, BaselineName);

    /// <summary>
    /// Takes the store's lock for this process's lifetime. The kernel releases it when the holder dies, so a lock
    /// left by a killed watcher is simply taken over.
    /// </summary>
    /// <exception cref="InfraDiffException">Another live watcher holds it.</exception>
    public IDisposable Lock()
    {
        var lockPath = Path.Join(Directory, ".lock");
        var pidPath = Path.Join(Directory, ".lock.pid");
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: advisory, and dropped with the process.
            var stream = new FileStream(lockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = AtomicFile.OwnerOnly,
            });
            using (var pid = new StreamWriter(new FileStream(pidPath, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = AtomicFile.OwnerOnly })))
            {
                pid.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            }

            return stream;
        }
        catch (IOException)
        {
            var holder = File.Exists(pidPath) ? File.ReadAllText(pidPath).Trim() : "?";
            throw new InfraDiffException($"{Directory} is in use by another infradiff watch (pid {holder}); give each watcher a store directory of its own");
        }
    }

    /// <summary>Deletes the temporary files a killed writer may have left; finished files are never torn.</summary>
    public void RemoveLeftovers()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp").Concat(System.IO.Directory.EnumerateFiles(Outbox.Directory, ".*.tmp")))
        {
            File.Delete(file);
        }
    }

    /// <summary>The snapshot files, oldest first.</summary>
    public IReadOnlyList<string> Snapshots() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, Prefix + "*.json").Order(StringComparer.Ordinal)];

    /// <summary>The newest stored snapshot the journal vouches for, or null.</summary>
    public async Task<Snapshot?> LatestAsync(CancellationToken cancellationToken = default) =>
        Snapshots() is { Count: > 0 } all ? await ReadOrQuarantineAsync(all[^1], cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// Whether a new baseline may be written now that there is none: only when the store never had one. One that was
    /// deleted behind the store's back, or quarantined, is reported (once) and not recreated unless <paramref name="reset"/>.
    /// </summary>
    /// <param name="reset">Whether a new baseline was asked for.</param>
    /// <param name="resetName">How the alert names the way to ask for one.</param>
    internal bool MayCreateBaseline(bool reset, string resetName)
    {
        var last = Journal.LastEvent(BaselineName);
        if (last is null)
        {
            return true;
        }

        if (reset)
        {
            Journal.Note("reset-baseline", "a new baseline from this host (ResetBaseline)");
            quarantined.Add(new QuarantinedFile(BaselineName, "", "replaced by a new baseline taken from this host (ResetBaseline)"));
            return true;
        }

        if (last != "missing")
        {
            var why = last == "quarantine" ? "was quarantined" : "was deleted behind the store's back";
            Missing(BaselineName, $"{why}; no new baseline is made from a host that may be compromised (set {resetName} to make one)");
        }

        return false;
    }

    /// <summary>
    /// What the next snapshot is compared with: the newest stored snapshot, with each section that was incomplete
    /// in it (its collector failed or timed out, or a part of it failed) taken from the newest snapshot in which it
    /// was complete. A change made while a collector failed is then still seen at the next good cycle.
    /// </summary>
    public async Task<Snapshot?> ReferenceAsync(CancellationToken cancellationToken = default)
    {
        // A snapshot that cannot be read is quarantined and the next older one serves.
        var files = Snapshots();
        Snapshot? newest = null;
        var position = files.Count;
        while (newest is null && --position >= 0)
        {
            newest = await ReadOrQuarantineAsync(files[position], cancellationToken).ConfigureAwait(false);
        }

        if (newest is null)
        {
            return null;
        }

        var incomplete = newest.Metadata.Collectors.Where(c => !IsComplete(newest, c.Key)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if (incomplete.Count == 0)
        {
            return newest;
        }

        var sections = new Dictionary<string, System.Text.Json.JsonElement>(newest.Sections, StringComparer.Ordinal);
        var reports = new SortedDictionary<string, CollectorReport>(newest.Metadata.Collectors.ToDictionary(), StringComparer.Ordinal);
        for (var i = position - 1; i >= 0 && incomplete.Count > 0; i--)
        {
            if (await ReadOrQuarantineAsync(files[i], cancellationToken).ConfigureAwait(false) is not { } older)
            {
                continue;
            }

            foreach (var name in incomplete.Where(n => IsComplete(older, n) && older.Sections.ContainsKey(n)).ToList())
            {
                sections[name] = older.Sections[name];
                reports[name] = older.Metadata.Collectors[name];
                incomplete.Remove(name);
            }
        }

        return newest with { Metadata = newest.Metadata with { Collectors = reports }, Sections = sections };
    }

    private static bool IsComplete(Snapshot snapshot, string section) =>
        snapshot.Metadata.Collectors.TryGetValue(section, out var report)
        && report.Status is not (CollectorStatus.Failed or CollectorStatus.Timeout)
        && report.Failed is not { Count: > 0 };

    /// <summary>The baseline, or null when there is none yet (or it could not be read and was quarantined).</summary>
    public async Task<Snapshot?> BaselineAsync(CancellationToken cancellationToken = default) =>
        File.Exists(BaselinePath) ? await ReadOrQuarantineAsync(BaselinePath, cancellationToken).ConfigureAwait(false) : null;

    private async Task<Snapshot?> ReadOrQuarantineAsync(string path, CancellationToken cancellationToken)
    {
        if (await ReadTrustedAsync(path, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        try
        {
            return SnapshotFile.Parse(path, bytes);
        }
        catch (InvalidSnapshotException ex) when (File.Exists(path))
        {
            Quarantine(path, ex.Problem);
            return null;
        }
    }

    /// <summary>Stores a snapshot under the UTC time it is stored ("snapshot-20261127T140000.123Z.json"), so names sort in time order, and returns the path.</summary>
    public async Task<string> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var time = DateTime.UtcNow;
        string path;
        while (File.Exists(path = Path.Join(Directory, $"{Prefix}{time.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)}.json")))
        {
            time = time.AddMilliseconds(1);
        }

        await WriteFileAsync(path, SnapshotJson.CanonicalText(snapshot), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Where each cycle's record is kept (<c>reports/</c>).</summary>
    public string ReportsDirectory => Path.Join(Directory, ReportsFolder);

    /// <summary>The cycle records' files, oldest first.</summary>
    public IReadOnlyList<string> CycleFiles() => CycleFilesIn(Directory);

    /// <summary>The cycle records' files of the store in <paramref name="directory"/>, oldest first, without opening the store (no lock, no key).</summary>
    public static IReadOnlyList<string> CycleFilesIn(string directory)
    {
        var reports = Path.Join(directory, ReportsFolder);
        return System.IO.Directory.Exists(reports) ? [.. System.IO.Directory.EnumerateFiles(reports, CyclePrefix + "*.json").Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>Records a cycle as "reports/cycle-20261127T140000.123Z.json".</summary>
    public async Task SaveCycleAsync(CycleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        AtomicFile.CreateDirectory(ReportsDirectory);
        var time = record.Time.UtcDateTime;
        string path;
        while (File.Exists(path = Path.Join(ReportsDirectory, $"{CyclePrefix}{time.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)}.json")))
        {
            time = time.AddMilliseconds(1);
        }

        await WriteFileAsync(path, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, SnapshotJson.Options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest cycle record the journal vouches for, or null (none yet, or it was quarantined).</summary>
    public async Task<CycleRecord?> LastCycleAsync(CancellationToken cancellationToken = default)
    {
        var files = CycleFiles();
        if (files.Count == 0 || await ReadTrustedAsync(files[^1], cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<CycleRecord>(bytes, SnapshotJson.Options);
        }
        catch (System.Text.Json.JsonException ex)
        {
            Quarantine(files[^1], $"unreadable cycle record: {ex.Message.Split(" Path:")[0]}");
            return null;
        }
    }

    /// <summary>Deletes the oldest cycle records beyond <paramref name="keep"/>.</summary>
    public void PruneCycles(int keep)
    {
        var all = CycleFiles();
        foreach (var old in all.Take(Math.Max(0, all.Count - Math.Max(1, keep))))
        {
            DeleteFile(old);
        }
    }

    /// <summary>Writes the baseline.</summary>
    public Task SaveBaselineAsync(Snapshot snapshot, CancellationToken cancellationToken = default) =>
        WriteFileAsync(BaselinePath, SnapshotJson.CanonicalText(snapshot), cancellationToken);

    /// <summary>Deletes the oldest snapshots beyond <paramref name="keep"/>; never the baseline, never the latest.</summary>
    public void Prune(int keep)
    {
        var all = Snapshots();
        foreach (var old in all.Take(Math.Max(0, all.Count - Math.Max(1, keep))))
        {
            DeleteFile(old);
        }
    }
}
