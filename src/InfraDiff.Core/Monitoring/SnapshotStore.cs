using System.Globalization;
using InfraDiff.Alerting;
using InfraDiff.Host;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Monitoring;

/// <summary>
/// A directory of snapshots named by UTC time, a baseline, an outbox of undelivered alerts, and a lock so two
/// watchers never share it. Every file is written atomically and 0600, and reached from the store's own descriptor:
/// no link in the store is ever followed, and an entry the store did not write is quarantined and alerted.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>The most one store file may hold (a snapshot of a large host, an alert with its report): 1 GiB.</summary>
    internal const long FileLimit = 1L << 30;

    private const string Prefix = "snapshot-";
    private const string BaselineName = "baseline.json";
    private const string StateName = "state.json";
    private const string ReportsFolder = "reports";
    private const string QuarantineFolder = "quarantine";
    private const string CyclePrefix = "cycle-";
    private const string LockName = ".lock";
    private const string LockPidName = ".lock.pid";
    private const string WriteLockName = ".write.lock";
    private const string AcceptancesName = "acceptances.json";

    private const string NeverRecorded = "tampered: the journal never recorded it (forged, or written by something else)";

    private readonly List<QuarantinedFile> quarantined = [];
    private readonly StoreKey key;
    private readonly ConfinedDirectory folder;
    private readonly HashSet<string> tenants;
    private StoreJournal? journal;

    /// <summary>Opens (creating, 0700) a store directory, its journal authenticated with <paramref name="key"/> (default: <see cref="StoreKey.Load"/>).</summary>
    public SnapshotStore(string directory, StoreKey? key = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        folder = ConfinedDirectory.Open(directory, create: true);
        Directory = folder.Path;
        this.key = key ?? StoreKey.Load();
        tenants = [.. TopEntriesHolding(this.key.Source, Host.CacheDirectory.Default())];
        Outbox = new Outbox(this);
        Acceptances = new StoreAcceptances(this);
    }

    /// <summary>The changes accepted into the baseline or acknowledged, one by one, with who and why.</summary>
    public StoreAcceptances Acceptances { get; }

    /// <summary>Where <see cref="Acceptances"/> are kept.</summary>
    internal string AcceptancesPath => Path.Join(Directory, AcceptancesName);

    /// <summary>The store's folder, every file of it reached without a link.</summary>
    internal ConfinedDirectory Folder => folder;

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

            journal = StoreJournal.Open(folder, key);
            if (journal.Problems.Count > 0)
            {
                quarantined.Add(new QuarantinedFile("journal.jsonl", "journal.broken-*.jsonl", $"{string.Join("; ", journal.Problems)}; a new journal begins and the files present are trusted from now on"));
                journal.StartOver(journal.Problems[0]);
            }

            if (journal.Sequence <= 1)
            {
                // Files already here (a store from before journals, or after a broken chain) are trusted from now on.
                foreach (var name in FilesIn(folder))
                {
                    if (ReadEntry(name) is { } bytes)
                    {
                        journal.Written(name, bytes, "adopt");
                    }
                }
            }

            return journal;
        }
    }

    /// <summary>
    /// The store's folders: the journal speaks for their .json files; the chunks of large snapshots
    /// (<see cref="ChunkedSnapshot"/>) are named by their hash, and their manifests, which the journal speaks for, vouch for them.
    /// </summary>
    private static readonly string[] Folders = ["", "outbox", "outbox/dead", ReportsFolder, ChunkedSnapshot.Folder];

    /// <summary>The files a store's journal speaks for: snapshots, the baseline, the alert state, outbox entries (dead ones too), cycle reports; regular files only.</summary>
    internal static IEnumerable<string> FilesIn(ConfinedDirectory folder) =>
        Folders.SelectMany(f => folder.List(f)
                .Where(e => e.Type == LinuxFile.TypeRegular && e.Name.EndsWith(".json", StringComparison.Ordinal) && !e.Name.StartsWith('.'))
                .Select(e => f.Length == 0 ? e.Name : $"{f}/{e.Name}"))
            .Order(StringComparer.Ordinal);

    /// <summary>A store file's name as the journal records it ("outbox/….json").</summary>
    internal string NameOf(string path) => Path.GetRelativePath(Directory, path);

    /// <summary>Writes a store file: recorded in the journal first (with <paramref name="note"/>, what it is), then written atomically (0600).</summary>
    internal Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, string? note = null)
    {
        var name = NameOf(path);
        if (Path.GetDirectoryName(name) is { Length: > 0 } parent)
        {
            EnsureFolder(parent);
        }

        Journal.Written(name, content.Span, note: note);
        folder.Write(name, content.Span);
        return Task.CompletedTask;
    }

    /// <summary>Deletes a store file, recorded in the journal.</summary>
    internal void DeleteFile(string path)
    {
        var name = NameOf(path);
        Journal.Removed(name);
        folder.Delete(name);
    }

    /// <summary>Whether a store file is there (as a regular file).</summary>
    internal bool Exists(string path) => folder.TypeOf(NameOf(path)) == LinuxFile.TypeRegular;

    /// <summary>
    /// A store file's bytes when the journal vouches for them; a file it does not (edited, forged), or that is not a
    /// regular file of sane size (a link, a FIFO), is quarantined and null returned, as for a file that is not there.
    /// </summary>
    internal Task<byte[]?> ReadTrustedAsync(string path, CancellationToken cancellationToken)
    {
        var name = NameOf(path);
        if (ReadEntry(name) is not { } bytes)
        {
            return Task.FromResult<byte[]?>(null);
        }

        switch (Journal.Check(name, bytes))
        {
            case FileVerdict.Intact:
                return Task.FromResult<byte[]?>(bytes);
            case FileVerdict.Unknown:
                Quarantine(path, NeverRecorded);
                return Task.FromResult<byte[]?>(null);
            default:
                Quarantine(path, "tampered: its content differs from what the journal recorded");
                return Task.FromResult<byte[]?>(null);
        }
    }

    /// <summary>A store file's bytes, null when it is not there; an entry that is no readable regular file is quarantined (null).</summary>
    private byte[]? ReadEntry(string name)
    {
        try
        {
            return folder.Read(name, FileLimit);
        }
        catch (ConfinedFileException ex)
        {
            Quarantine(Path.Join(Directory, name), ex.Reason);
            return null;
        }
    }

    /// <summary>Where files the store could not trust are moved (<c>quarantine/</c>), kept for an operator to read.</summary>
    public string QuarantineDirectory => Path.Join(Directory, QuarantineFolder);

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
    /// Moves an entry the store cannot trust (corrupt, truncated, foreign, a link, a FIFO) into quarantine under a
    /// time-stamped name, as it is (a link is moved, never followed), so one bad entry never stops the loop, and
    /// remembers it for an alert.
    /// </summary>
    internal void Quarantine(string path, string reason)
    {
        var name = NameOf(path);
        Journal.Removed(name, "quarantine", reason);
        var target = $"{QuarantineFolder}/{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{name.Replace('/', '_')}";
        EnsureQuarantine();
        folder.Move(name, target);
        quarantined.Add(new QuarantinedFile(name, folder.FullPath(target), $"{reason}; moved to quarantine"));
    }

    /// <summary>Makes a store folder; a link or a file in its place is quarantined first (never followed) and alerted.</summary>
    private void EnsureFolder(string name)
    {
        try
        {
            folder.CreateFolder(name);
        }
        catch (ConfinedFileException ex) when (name != QuarantineFolder)
        {
            Quarantine(Path.Join(Directory, name), $"{ex.Reason}: the store's own folder was replaced");
            folder.CreateFolder(name);
        }
    }

    /// <summary>The quarantine folder; a link or a file in its place is removed (the link itself, never what it points to) and alerted.</summary>
    private void EnsureQuarantine()
    {
        if (folder.TypeOf(QuarantineFolder) is { } type && type != LinuxFile.TypeDirectory)
        {
            folder.Delete(QuarantineFolder);
            quarantined.Add(new QuarantinedFile(QuarantineFolder, "", $"a {LinuxFile.KindOf(type)} where the quarantine folder belongs; removed (not followed)"));
        }

        folder.CreateFolder(QuarantineFolder);
    }

    /// <summary>
    /// Looks over the store's folders for what it did not write, under the lock at the start of each cycle: a link, a
    /// FIFO, a device or a folder where a file or one of the store's folders belongs, or a file whose name the journal
    /// never recorded (a stray notes.json), is quarantined and alerted, and a file the journal vouched for that is gone
    /// (an undelivered alert deleted by hand) is alerted; temporary files a killed writer left are deleted.
    /// Content is checked when a file is read, so this costs a listing, not a hash.
    /// </summary>
    /// <param name="owned">Entries of the store's top folder that belong to whoever shares the store (the fleet's host folders), left alone.</param>
    internal void Audit(Func<string, uint, bool>? owned = null)
    {
        var others = owned;
        owned = (entry, type) => tenants.Contains(entry) || others?.Invoke(entry, type) == true;
        EnsureQuarantine();
        foreach (var sub in Folders.Skip(1))
        {
            if (folder.TypeOf(sub) is { } type && type != LinuxFile.TypeDirectory)
            {
                Quarantine(Path.Join(Directory, sub), $"a {LinuxFile.KindOf(type)} where the store's folder belongs: not followed");
            }
        }

        foreach (var sub in Folders)
        {
            foreach (var (entry, _) in folder.List(sub).Where(e => e.Name.StartsWith('.') && e.Name.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                folder.Delete(sub.Length == 0 ? entry : $"{sub}/{entry}");
            }
        }

        foreach (var (name, problem) in Strays(folder, Journal, owned))
        {
            Quarantine(Path.Join(Directory, name), problem);
        }

        // A file the journal says is here and is not was deleted behind the store's back: said once, loudly. (A
        // missing baseline is told when one is needed, with how to make a new one.)
        foreach (var (name, _) in Journal.Present().Where(p => p.Name != BaselineName).ToList())
        {
            if (folder.TypeOf(name) is null)
            {
                Missing(name, Outbox.Vanished(name, Journal.WriteNote(name)) ?? "deleted behind the store's back");
            }
        }
    }

    /// <summary>
    /// The entries of a store's folders it did not write, with why: a name it never writes, a link, a FIFO or a folder
    /// where it keeps a file (or the reverse), a file the journal never recorded. A writer's temporary files are not among them.
    /// </summary>
    internal static IEnumerable<(string Name, string Problem)> Strays(ConfinedDirectory folder, StoreJournal journal, Func<string, uint, bool>? owned)
    {
        foreach (var sub in Folders)
        {
            foreach (var (entry, type) in folder.List(sub))
            {
                var name = sub.Length == 0 ? entry : $"{sub}/{entry}";
                var kind = Expected(sub, entry);
                if (entry.StartsWith('.') && entry.EndsWith(".tmp", StringComparison.Ordinal) || (sub.Length == 0 && kind is null && owned?.Invoke(entry, type) == true))
                {
                    continue;
                }

                if (kind is null)
                {
                    yield return (name, "not a file the store writes (forged, or written by something else)");
                }
                else if (type != kind)
                {
                    yield return (name, $"a {LinuxFile.KindOf(type)} where the store keeps a {LinuxFile.KindOf(kind.Value)}: not followed");
                }
                else if (kind == LinuxFile.TypeRegular && entry.EndsWith(".json", StringComparison.Ordinal) && !journal.Knows(name))
                {
                    yield return (name, NeverRecorded);
                }
            }
        }
    }

    /// <summary>
    /// The entries of the store's top folder that hold one of <paramref name="paths"/>: the key file or infradiff's
    /// cache folder, when the operator put them inside the store (the container image keeps both in /snapshots/.cache).
    /// They are the operator's, never quarantined.
    /// </summary>
    private IEnumerable<string> TopEntriesHolding(params string[] paths) =>
        paths.Where(p => p.StartsWith('/'))
            .Select(p => Path.GetRelativePath(Directory, Path.GetFullPath(p)))
            .Where(relative => relative != "." && relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            .Select(relative => relative.Split('/')[0]);

    /// <summary>What the store keeps under a name in one of its folders (a regular file or a folder), or null for a name it never writes.</summary>
    private static uint? Expected(string sub, string entry) => sub switch
    {
        "" when entry is "outbox" or ReportsFolder or QuarantineFolder or ChunkedSnapshot.Folder => LinuxFile.TypeDirectory,
        "" when entry is BaselineName or StateName or AcceptancesName or StoreJournal.FileName or LockName or LockPidName or WriteLockName
            || (entry.StartsWith(Prefix, StringComparison.Ordinal) && entry.EndsWith(".json", StringComparison.Ordinal))
            || (entry.StartsWith("journal.broken-", StringComparison.Ordinal) && entry.EndsWith(".jsonl", StringComparison.Ordinal)) => LinuxFile.TypeRegular,
        "outbox" when entry == "dead" => LinuxFile.TypeDirectory,
        "outbox" or "outbox/dead" when entry.EndsWith(".json", StringComparison.Ordinal) => LinuxFile.TypeRegular,
        ReportsFolder when entry.StartsWith(CyclePrefix, StringComparison.Ordinal) && entry.EndsWith(".json", StringComparison.Ordinal) => LinuxFile.TypeRegular,
        ChunkedSnapshot.Folder when ChunkedSnapshot.IsChunkName(entry) => LinuxFile.TypeRegular,
        _ => null,
    };

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
    /// left by a killed watcher is simply taken over. A link or a FIFO planted as the lock file is removed (the link
    /// itself), never written through.
    /// </summary>
    /// <exception cref="InfraDiffException">Another live watcher holds it.</exception>
    public IDisposable Lock()
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle? held;
        try
        {
            held = TryLock();
        }
        catch (ConfinedFileException ex)
        {
            var type = folder.TypeOf(LockName);
            folder.Delete(LockName);
            quarantined.Add(new QuarantinedFile(LockName, "", $"{ex.Reason}; removed (a {LinuxFile.KindOf(type ?? 0)} is no lock file)"));
            held = TryLock();
        }

        if (held is null)
        {
            string holder;
            try
            {
                holder = System.Text.Encoding.ASCII.GetString(folder.Read(LockPidName, 32) ?? "?"u8.ToArray()).Trim();
            }
            catch (ConfinedFileException)
            {
                holder = "?";
            }

            throw new InfraDiffException($"{Directory} is in use by another infradiff run (pid {HostText.Visible(holder)}): one watch, fleet run or fleet acceptance holds a store at a time; give each watcher a store directory of its own");
        }

        // Written as a new file renamed into place: a link planted as .lock.pid is replaced, never written through.
        folder.Write(LockPidName, System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        return held;
    }

    /// <summary>
    /// Holds the store for one writer at a time, waiting up to <paramref name="wait"/> for another (a watch cycle, an
    /// acceptance): a watcher holds it for a cycle, not between cycles, so <c>infradiff accept</c> can write while it
    /// runs. The journal is read again when another process wrote to it since this one last did.
    /// </summary>
    /// <exception cref="InfraDiffException">The store stayed held for <paramref name="wait"/>.</exception>
    public IDisposable Hold(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        Microsoft.Win32.SafeHandles.SafeFileHandle? held;
        while ((held = folder.TryLock(WriteLockName, exclusive: true)) is null)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new InfraDiffException($"{Directory} stayed busy for {wait.TotalSeconds:N0} s (a watch cycle or another acceptance is writing to it); try again");
            }

            Thread.Sleep(50);
        }

        if (journal is not null && journal.IsBehind())
        {
            journal = null;
        }

        return held;
    }

    /// <summary>The snapshot files, oldest first.</summary>
    public IReadOnlyList<string> Snapshots() => Files("", Prefix);

    /// <summary>The regular files of a store folder whose names start with <paramref name="prefix"/> and end with .json, as full paths, oldest (first by name) first.</summary>
    internal List<string> Files(string sub, string prefix = "") =>
        [.. folder.List(sub)
            .Where(e => e.Type == LinuxFile.TypeRegular && e.Name.StartsWith(prefix, StringComparison.Ordinal) && e.Name.EndsWith(".json", StringComparison.Ordinal) && !e.Name.StartsWith('.'))
            .Select(e => folder.FullPath(sub.Length == 0 ? e.Name : $"{sub}/{e.Name}"))
            .Order(StringComparer.Ordinal)];

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
        await ReadOrQuarantineAsync(BaselinePath, cancellationToken).ConfigureAwait(false);

    private async Task<Snapshot?> ReadOrQuarantineAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await ReadTrustedAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes is not null && ChunkedSnapshot.IsManifest(bytes))
        {
            bytes = Assemble(path, bytes);
        }

        if (bytes is null)
        {
            return null;
        }

        try
        {
            return SnapshotFile.Parse(path, bytes);
        }
        catch (InvalidSnapshotException ex) when (Exists(path))
        {
            Quarantine(path, ex.Problem);
            return null;
        }
    }

    /// <summary>
    /// The text a manifest the journal vouched for names, from its chunks; a chunk that does not hash to its name is
    /// quarantined, and so is the manifest when its text cannot be made whole (null).
    /// </summary>
    private byte[]? Assemble(string path, byte[] stored)
    {
        string? problem;
        string? badChunk = null;
        byte[]? text = null;
        try
        {
            text = ChunkedSnapshot.Parse(stored, out problem)?.Assemble(ReadChunk, out problem, out badChunk);
        }
        catch (ConfinedFileException ex)
        {
            // A link or a FIFO with a chunk's name: not followed, not read.
            badChunk = ex.Name;
            problem = $"its chunk {ex.Message}";
        }

        if (text is not null)
        {
            return text;
        }

        if (badChunk is not null && folder.TypeOf(badChunk) is not null)
        {
            Quarantine(Path.Join(Directory, badChunk), $"tampered: {problem}");
        }

        Quarantine(path, $"{problem}: the snapshot cannot be read whole");
        return null;
    }

    private byte[]? ReadChunk(string name) => folder.Read(name, ChunkedSnapshot.FileLimit);

    /// <summary>
    /// Writes a snapshot's text: a large one as the chunks the store does not have yet (deflated, flushed together) and a manifest
    /// in its place (<see cref="ChunkedSnapshot"/>), recorded and written as any store file; a small one whole.
    /// </summary>
    internal Task WriteSnapshotAsync(string path, ReadOnlyMemory<byte> text, CancellationToken cancellationToken, string? note = null)
    {
        if (text.Length < ChunkedSnapshot.StoredWholeBelow)
        {
            return WriteFileAsync(path, text, cancellationToken, note);
        }

        EnsureFolder(ChunkedSnapshot.Folder);
        var wrote = false;
        var manifest = ChunkedSnapshot.Cut(text, (hash, chunk) =>
        {
            var name = ChunkedSnapshot.FileOf(hash);
            if (folder.TypeOf(name) != LinuxFile.TypeRegular)
            {
                folder.Write(name, ChunkedSnapshot.Pack(chunk.Span), flush: false);
                wrote = true;
            }
        });

        // Every chunk is on disk before the manifest that names it: a crash leaves chunks nothing names, freed by the next prune.
        if (wrote)
        {
            folder.Sync();
        }

        return WriteFileAsync(path, manifest.ToJson(), cancellationToken, note);
    }

    /// <summary>Stores a snapshot under the UTC time it is stored ("snapshot-20261127T140000.123Z.json"), so names sort in time order, and returns the path.</summary>
    public async Task<string> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var time = DateTime.UtcNow;
        string path;
        while (folder.TypeOf(NameOf(path = Path.Join(Directory, $"{Prefix}{time.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)}.json"))) is not null)
        {
            time = time.AddMilliseconds(1);
        }

        await WriteSnapshotAsync(path, SnapshotJson.CanonicalText(snapshot), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Where each cycle's record is kept (<c>reports/</c>).</summary>
    public string ReportsDirectory => Path.Join(Directory, ReportsFolder);

    /// <summary>The cycle records' files, oldest first.</summary>
    public IReadOnlyList<string> CycleFiles() => Files(ReportsFolder, CyclePrefix);

    /// <summary>
    /// The cycle records of the store at <paramref name="directory"/>, oldest first, without opening the store (no
    /// lock, no key, nothing created), each read as the store reads its files: no link followed, at most 1 GiB.
    /// </summary>
    /// <exception cref="InfraDiffException">There is no such store.</exception>
    internal static IEnumerable<(string Name, byte[]? Bytes, string? Problem)> ReadCycleRecords(string directory)
    {
        using var store = ConfinedDirectory.Open(directory, create: false);
        foreach (var (entry, _) in store.List(ReportsFolder).Where(e => e.Name.StartsWith(CyclePrefix, StringComparison.Ordinal) && e.Name.EndsWith(".json", StringComparison.Ordinal)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            byte[]? bytes = null;
            string? problem = null;
            try
            {
                bytes = store.Read($"{ReportsFolder}/{entry}", FileLimit);
            }
            catch (ConfinedFileException ex)
            {
                problem = ex.Reason;
            }

            yield return (entry, bytes, problem);
        }
    }

    /// <summary>Records a cycle as "reports/cycle-20261127T140000.123Z.json".</summary>
    public async Task SaveCycleAsync(CycleRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var time = record.Time.UtcDateTime;
        string path;
        while (folder.TypeOf(NameOf(path = Path.Join(ReportsDirectory, $"{CyclePrefix}{time.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)}.json"))) is not null)
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
        WriteSnapshotAsync(BaselinePath, SnapshotJson.CanonicalText(snapshot), cancellationToken);

    /// <summary>
    /// The lock, tried for up to a second: a process this one starts holds a copy of every descriptor between its fork
    /// and its exec, so a lock just released here can look held for an instant. Another watcher holds it for good.
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle? TryLock()
    {
        for (var attempt = 0; ; attempt++)
        {
            var held = folder.TryLock(LockName, exclusive: true);
            if (held is not null || attempt == 50)
            {
                return held;
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// Deletes the oldest snapshots beyond <paramref name="keep"/> (never the baseline, never the latest), then the
    /// chunks no snapshot left names (those of pruned snapshots, and those a crash left before their manifest).
    /// </summary>
    public void Prune(int keep)
    {
        var all = Snapshots();
        foreach (var old in all.Take(Math.Max(0, all.Count - Math.Max(1, keep))))
        {
            DeleteFile(old);
        }

        var chunks = folder.List(ChunkedSnapshot.Folder).Where(e => e.Type == LinuxFile.TypeRegular && ChunkedSnapshot.IsChunkName(e.Name)).ToList();
        if (chunks.Count == 0)
        {
            return;
        }

        var named = ChunksNamed(folder, [.. Snapshots().Select(NameOf), BaselineName]);
        foreach (var (entry, _) in chunks.Where(c => !named.Contains(c.Name[..64])))
        {
            folder.Delete($"{ChunkedSnapshot.Folder}/{entry}");
        }
    }

    /// <summary>
    /// The chunks the manifests among <paramref name="names"/> name (a file that is no manifest names none). Read as
    /// they are, unchecked: a forged manifest can only keep chunks from being freed.
    /// </summary>
    internal static HashSet<string> ChunksNamed(ConfinedDirectory folder, IEnumerable<string> names)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            byte[]? bytes;
            try
            {
                bytes = folder.Read(name, ChunkedSnapshot.ManifestLimit);
            }
            catch (ConfinedFileException)
            {
                // Larger than any manifest (a snapshot stored whole), or not a regular file (quarantined when read).
                continue;
            }

            if (bytes is not null && ChunkedSnapshot.IsManifest(bytes) && ChunkedSnapshot.Parse(bytes, out _) is { } manifest)
            {
                named.UnionWith(manifest.Chunks);
            }
        }

        return named;
    }
}
