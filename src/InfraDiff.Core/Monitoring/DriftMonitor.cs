using System.Security.Cryptography;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Monitoring.Realtime;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;
using InfraDiff.Sections;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Monitoring;

/// <summary>
/// The watch loop as a reusable component (run it from a hosted service): each cycle snapshots, stores,
/// diffs, queues an alert in the durable outbox, and delivers what the outbox holds, oldest first.
/// </summary>
public sealed class DriftMonitor
{
    private readonly Snapshotter snapshotter;
    private readonly DriftMonitorOptions options;
    private readonly IReadOnlyList<IAlertSink> sinks;
    private readonly ILogger logger;
    private readonly TimeProvider clock;

    /// <summary>Creates a monitor; nothing runs until <see cref="RunAsync"/> or <see cref="RunCycleAsync"/>.</summary>
    /// <exception cref="InvalidOptionException">An option is invalid.</exception>
    public DriftMonitor(Snapshotter snapshotter, DriftMonitorOptions options, IEnumerable<IAlertSink> sinks, ILogger<DriftMonitor>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(snapshotter);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinks);
        options.Validate();
        this.snapshotter = snapshotter;
        this.options = options;
        this.sinks = sinks.ToList();
        if (this.sinks.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            // The outbox records deliveries by sink id: two sinks sharing one would each be taken for the other.
            throw new ArgumentException($"two alert sinks have the id '{twice.Key}'", nameof(sinks));
        }

        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        Store = new SnapshotStore(options.Directory, options.StoreKey);
    }

    /// <summary>The store this monitor writes to.</summary>
    public SnapshotStore Store { get; }

    /// <summary>
    /// Runs cycles until cancelled. Cycles never overlap; a failed one is logged and the next one runs. With
    /// <see cref="DriftMonitorOptions.Realtime"/>, changes are also seen as they happen (<see cref="RealtimeUnavailable"/>
    /// says why not, when the kernel or the process's capabilities refuse it: then cycles run at the interval alone).
    /// </summary>
    /// <exception cref="InfraDiffException">Another watcher holds the store.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var storeLock = Store.Lock();
        using var realtime = options.Realtime ? StartRealtime() : null;
        if (realtime is not null)
        {
            await RunRealtimeAsync(realtime, cancellationToken).ConfigureAwait(false);
            return;
        }

        await CycleLoop.RunAsync(options.Interval, clock, token => RunCycleCoreAsync(null, token), ex => CycleFailed(ex), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why real-time watching was asked for and is not running (one line, logged once), or null.</summary>
    public string? RealtimeUnavailable { get; private set; }

    /// <summary>Runs one cycle under the store's lock.</summary>
    public async Task<CycleResult> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        using var storeLock = Store.Lock();
        return await RunCycleCoreAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts and logs a failed cycle; with real-time watching, <paramref name="untilFull"/> is how long until the next full cycle at the latest.</summary>
    private void CycleFailed(Exception ex, TimeSpan? untilFull = null)
    {
        InfraDiffMetrics.Cycles.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        if (untilFull is { } wait)
        {
            InfraDiffLog.RealtimeCycleFailed(logger, ex.Message, Duration.Describe(wait), ex);
        }
        else
        {
            InfraDiffLog.CycleFailed(logger, ex.Message, options.Interval, ex);
        }
    }

    /// <summary>
    /// Watches the filesystems that hold what the sections read; null, with <see cref="RealtimeUnavailable"/> said
    /// once, when this process may not (no CAP_SYS_ADMIN, an unprivileged container, an old kernel).
    /// </summary>
    private RealtimeChanges? StartRealtime()
    {
        // The host's files may be under a root (the host's / mounted into infradiff's container, a chroot): paths
        // written on this machine are the host's below it.
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Snapshot.Root));
        string? HostPathOf(string path) =>
            root == "/" ? path : path == root ? "/" : path.StartsWith(root + "/", StringComparison.Ordinal) ? path[root.Length..] : null;

        // Each path's nearest existing folder: a filesystem mark is made through a folder on it.
        var marks = snapshotter.Watched.Select(p => ExistingFolderOf(RealPathOf(p[..(p.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 ? star : p.Length)])))
            .Distinct(StringComparer.Ordinal).ToList();
        var names = new UserNames(RootedFileSystem.For(root));
        var realtime = RealtimeChanges.TryStart(marks, path => HostPathOf(path) is { } hostPath && snapshotter.SectionsReading(hostPath).Any() ? hostPath : null, names.Of, clock, out var problem);
        if (realtime is null)
        {
            RealtimeUnavailable = $"real-time watching is off: {problem} (it needs root, or CAP_SYS_ADMIN and CAP_DAC_READ_SEARCH, and Linux 5.9 or later); full cycles run every {Duration.Describe(options.Interval)}";
            InfraDiffLog.RealtimeUnavailable(logger, RealtimeUnavailable);
        }
        else
        {
            InfraDiffLog.Realtime(logger, realtime.KnowsWho
                ? $"changes are examined once they settle ({Duration.Describe(options.Settle)} without a write); a full cycle runs every {Duration.Describe(options.Interval)}"
                : "this kernel gives no pidfd with an event (Linux 5.15 and later do): changes are seen, who made them is not read");
        }

        return realtime;
    }

    /// <summary>Where a host path is on this machine: under the snapshot root.</summary>
    private string RealPathOf(string hostPath) => options.Snapshot.Root == "/" ? hostPath : Path.Join(options.Snapshot.Root, hostPath);

    private static string ExistingFolderOf(string path)
    {
        var folder = path.Length == 0 ? "/" : path;
        while (folder.Length > 1 && !Directory.Exists(folder))
        {
            folder = Path.GetDirectoryName(folder.TrimEnd('/')) ?? "/";
        }

        return folder;
    }

    /// <summary>
    /// A full cycle at start and at each interval; between them, a targeted cycle for each settled batch of changes (a
    /// full one when events were lost). Who made each change is added to its report whichever cycle found it.
    /// </summary>
    private async Task RunRealtimeAsync(RealtimeChanges realtime, CancellationToken cancellationToken)
    {
        var nextFull = clock.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var batch = nextFull <= clock.GetUtcNow() ? null
                    : await realtime.NextAsync(options.Settle, SettleCap, PackageCap, nextFull, cancellationToken).ConfigureAwait(false);
                if (batch is null || batch.Lost is not null || current is null || nextFull <= clock.GetUtcNow())
                {
                    // A batch that reached the next full cycle's time is told by that full cycle.
                    nextFull = clock.GetUtcNow() + options.Interval;
                    await RunCycleCoreAsync(batch, cancellationToken, full: true).ConfigureAwait(false);
                }
                else
                {
                    await RunCycleCoreAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The next cycle is a full one: the snapshot a targeted one would update may be what failed.
                CycleFailed(ex, nextFull - clock.GetUtcNow());
                current = null;
            }
        }
    }

    /// <summary>Under a steady stream of writes, a batch is taken this long after its first event.</summary>
    private static readonly TimeSpan SettleCap = TimeSpan.FromSeconds(5);

    /// <summary>While a package manager that made the changes runs, its batch waits for it this long at most.</summary>
    private static readonly TimeSpan PackageCap = TimeSpan.FromMinutes(10);

    /// <summary>The snapshot the last cycle took, kept when watching in real time: what a targeted cycle updates and compares with.</summary>
    private Snapshot? current;

    /// <summary>A cycle: a full one, or, for a batch of changes seen in real time, a targeted one unless <paramref name="full"/>.</summary>
    private async Task<CycleResult> RunCycleCoreAsync(TouchBatch? batch, CancellationToken cancellationToken, bool full = false)
    {
        var started = clock.GetTimestamp();
        var previous = current;
        var targeted = !full && batch is { Lost: null } && previous is not null;

        // Held for the cycle only: between cycles an operator's acceptance may write to the store.
        using var hold = Store.Hold(StoreAcceptances.Wait);
        Store.Audit();

        // Read each cycle (a small file): an edited or forged acceptance is quarantined and alerted now, not when next used.
        await Store.Acceptances.ReadAsync(cancellationToken).ConfigureAwait(false);
        // A targeted cycle compares with the snapshot it updated, held since the last cycle, rather than read it back.
        var reference = options.Against == DriftReference.Baseline ? await Store.BaselineAsync(cancellationToken).ConfigureAwait(false)
            : targeted ? previous
            : await Store.ReferenceAsync(cancellationToken).ConfigureAwait(false);
        var touched = batch?.Paths.Select(p => new TouchedPath(p.Key, p.Value.Tree)).ToList() ?? [];
        var snapshot = targeted
            ? await snapshotter.UpdateAsync(options.Snapshot, previous!, touched, cancellationToken).ConfigureAwait(false)
            : await snapshotter.TakeAsync(options.Snapshot, cancellationToken).ConfigureAwait(false);
        current = options.Realtime ? snapshot : null;
        var kind = targeted ? $"targeted ({Plural(touched.Count, "path")} changed)" : batch?.Lost is { } lost ? $"full ({lost})" : "full";
        if (targeted)
        {
            InfraDiffMetrics.TargetedCycles.Add(1);
        }

        DriftReport? report = null;
        var alerted = false;
        if (reference is not null)
        {
            var rules = options.Rules with { Sections = [.. snapshotter.Sections, .. options.Rules.Sections] };
            report = SnapshotDiffer.Compare(reference, snapshot, rules, clock);
            if (options.Realtime)
            {
                report = ChangeAttribution.Attribute(report, batch, snapshotter, rules, clock, RealPathOf) with { Cycle = kind };
            }

            var fingerprint = report.HasDrift ? Fingerprint(report) : "";
            if (report.HasDrift && await AlertKeyAsync(reference, fingerprint, cancellationToken).ConfigureAwait(false) is { } key)
            {
                // Queued before the snapshot is stored: a crash in between re-detects the same drift, whose key the receiver already knows.
                await Store.Outbox.EnqueueAsync(new DriftAlert(key, snapshot.Metadata.Host, snapshot.Metadata.TakenAt, report) { Journal = Head() }, CancellationToken.None).ConfigureAwait(false);
                if (options.Against == DriftReference.Baseline)
                {
                    await Store.WriteFileAsync(StatePath, JsonSerializer.SerializeToUtf8Bytes(new AlertState(fingerprint, clock.GetUtcNow()), SnapshotJson.Options), CancellationToken.None).ConfigureAwait(false);
                }

                alerted = true;
            }
        }

        // Writes are not cancelled: SIGTERM lets the current one finish, so the store never holds half a cycle.
        // A snapshot identical to the last one stored (outside its time) is not stored again: the cycle's record points to it.
        var digest = CycleRecord.DigestOf(snapshot);
        lastCycle ??= await Store.LastCycleAsync(CancellationToken.None).ConfigureAwait(false);
        var unchanged = lastCycle is { } last && last.Digest == digest && Store.Snapshots() is { Count: > 0 } stored && Path.GetFileName(stored[^1]) == last.Snapshot;
        var snapshotName = unchanged ? lastCycle!.Snapshot : Path.GetFileName(await Store.SaveAsync(snapshot, CancellationToken.None).ConfigureAwait(false));
        var baselineWritten = false;
        if (options.Against == DriftReference.Baseline && reference is null && Store.MayCreateBaseline(options.ResetBaseline, options.ResetBaselineName))
        {
            await Store.SaveBaselineAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
            baselineWritten = true;
        }

        Store.Prune(options.Keep);
        var changes = report?.Changes ?? [];
        var counts = Enum.GetValues<Severity>().Reverse().ToDictionary(EnumNames.Of, s => changes.Count(c => c.Severity == s), StringComparer.Ordinal);
        lastCycle = new CycleRecord(
            snapshot.Metadata.TakenAt,
            snapshot.Metadata.Host,
            Math.Round(clock.GetElapsedTime(started).TotalSeconds, 3),
            snapshotName,
            !unchanged,
            digest,
            report is null ? new Dictionary<string, int>() : counts,
            report?.Unknown.Count ?? 0,
            alerted,
            alerted ? report : null)
        {
            Baseline = baselineWritten,
        };
        await Store.SaveCycleAsync(lastCycle, CancellationToken.None).ConfigureAwait(false);

        // Kept for its digest and snapshot name: its report's values lie in this cycle's snapshots, which it would keep.
        lastCycle = lastCycle with { Report = null };
        Store.PruneCycles(options.KeepReports);
        await AlertQuarantinedAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
        await HeartbeatAsync(snapshot).ConfigureAwait(false);
        var undelivered = await DeliverAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = clock.GetElapsedTime(started);
        Measure(changes, counts, elapsed, undelivered);
        InfraDiffLog.Cycle(
            logger,
            kind,
            elapsed.TotalSeconds,
            reference is null ? "first snapshot stored" : $"{changes.Count + (report?.Transient.Count ?? 0)} changes",
            counts["critical"],
            counts["high"],
            counts["medium"],
            counts["low"],
            alerted ? "alert queued" : "no alert",
            undelivered,
            Store.Outbox.DeadCount);
        return new CycleResult(snapshot, report, alerted, undelivered);
    }

    /// <summary>Sends every waiting alert to the sinks that lack it, oldest first; stops at the first alert a sink refuses, so order holds.</summary>
    /// <returns>How many alerts still wait.</returns>
    public Task<int> DeliverAsync(CancellationToken cancellationToken = default) => AlertDelivery.DeliverAsync(Store.Outbox, sinks, logger, cancellationToken);

    private string StatePath => Path.Join(Store.Directory, "state.json");

    /// <summary>
    /// The alert's idempotency key, or null for no alert. Against the previous snapshot every drift alerts once;
    /// against the baseline the same drift shows every cycle, so it alerts when it changes or after RepeatAfter.
    /// </summary>
    private async Task<string?> AlertKeyAsync(Snapshot reference, string fingerprint, CancellationToken cancellationToken)
    {
        var identity = $"{reference.Metadata.Host}|{reference.Metadata.TakenAt:O}|{fingerprint}";
        if (options.Against == DriftReference.Baseline)
        {
            var now = clock.GetUtcNow();
            if (await ReadStateAsync(cancellationToken).ConfigureAwait(false) is { } state
                && state.Fingerprint == fingerprint && now - state.AlertedAt < options.RepeatAfter)
            {
                return null;
            }

            identity += $"|{now:O}";
        }

        return IdempotencyKeys.From(identity);
    }

    /// <summary>Queues an alert about the store itself (quarantined files, a heartbeat), carrying the journal's head; its report's two sides are this snapshot.</summary>
    private Task EnqueueStoreAlertAsync(Snapshot snapshot, List<DriftChange> changes, string identity, bool heartbeat, CancellationToken cancellationToken, IReadOnlyList<string>? notices = null)
    {
        var side = new SnapshotIdentity(snapshot.Metadata.Host, snapshot.Metadata.TakenAt);
        var report = new DriftReport { Before = side, After = side, Summary = SnapshotDiffer.Summarize(changes), Changes = changes, Unknown = [], Notices = notices ?? [] };
        var alert = new DriftAlert(IdempotencyKeys.From(identity), snapshot.Metadata.Host, snapshot.Metadata.TakenAt, report) { Journal = Head(), Heartbeat = heartbeat };
        return Store.Outbox.EnqueueAsync(alert, cancellationToken);
    }

    /// <summary>The repeat state of --against baseline; a state file that cannot be read is quarantined (and the alert repeats).</summary>
    private async Task<AlertState?> ReadStateAsync(CancellationToken cancellationToken)
    {
        if (await Store.ReadTrustedAsync(StatePath, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AlertState>(bytes, SnapshotJson.Options) ?? throw new JsonException("the state is null");
        }
        catch (JsonException ex)
        {
            Store.Quarantine(StatePath, $"unreadable alert state: {ex.Message.Split(" Path:")[0]}");
            return null;
        }
    }

    /// <summary>
    /// A critical alert for files the store quarantined this cycle: a file that was edited, cut short or replaced is
    /// something an operator must hear of, and the loop has gone on without it.
    /// </summary>
    private async Task AlertQuarantinedAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var files = Store.TakeQuarantined();
        if (files.Count == 0)
        {
            return;
        }

        foreach (var file in files)
        {
            InfraDiffLog.StoreFileQuarantined(logger, file.Name, file.Reason);
        }

        var changes = files.Select(f => new DriftChange("store", ChangeKind.Remove, JsonPointer.Append("/store", f.Name), default, default, Severity.Critical, $"store file {f.Name}: {f.Reason}")).ToList();
        await EnqueueStoreAlertAsync(snapshot, changes, string.Join('|', files.Select(f => f.MovedTo)), heartbeat: false, cancellationToken).ConfigureAwait(false);
    }

    private JournalHead Head() => new(Store.Journal.Sequence, Store.Journal.Head);

    private CycleRecord? lastCycle;

    /// <summary>The cycle's figures for <see cref="InfraDiffMetrics"/>; the cycle count last, so a listener that writes on it sees the rest.</summary>
    private void Measure(IReadOnlyList<DriftChange> changes, Dictionary<string, int> counts, TimeSpan duration, int pending)
    {
        foreach (var group in changes.GroupBy(c => (c.Severity, c.Category)))
        {
            InfraDiffMetrics.Changes.Add(group.Count(), new("severity", EnumNames.Of(group.Key.Severity)), new("category", group.Key.Category));
        }

        foreach (var (severity, count) in counts)
        {
            InfraDiffMetrics.LastChanges.Record(count, new KeyValuePair<string, object?>("severity", severity));
        }

        InfraDiffMetrics.CycleDuration.Record(duration.TotalSeconds);
        InfraDiffMetrics.AlertsPending.Record(pending);
        InfraDiffMetrics.AlertsDead.Record(Store.Outbox.DeadCount);
        InfraDiffMetrics.LastSuccess.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        InfraDiffMetrics.Cycles.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
    }

    private DateTimeOffset? lastHeartbeat;

    private async Task HeartbeatAsync(Snapshot snapshot)
    {
        var now = clock.GetUtcNow();

        // The clock runs from the last heartbeat the journal recorded (so a restart does not reset it), or from the first cycle.
        lastHeartbeat ??= Store.Journal.LastNote("heartbeat") ?? now;
        if (options.Heartbeat <= TimeSpan.Zero || now - lastHeartbeat.Value < options.Heartbeat)
        {
            return;
        }

        lastHeartbeat = now;
        var unacknowledged = (await Store.Acceptances.UnacknowledgedAsync(CancellationToken.None).ConfigureAwait(false)).Select(u => u.Change.Severity).ToList();
        var critical = unacknowledged.Count(s => s == Severity.Critical);
        var high = unacknowledged.Count(s => s == Severity.High);
        string[] notices = critical + high == 0 ? []
            : [$"{critical} critical and {high} high change{(critical + high == 1 ? "" : "s")} alerted and not acknowledged (infradiff history --dir {Store.Directory} --unacknowledged)"];
        Store.Journal.Note("heartbeat", "a heartbeat queued");
        var head = Head();
        await EnqueueStoreAlertAsync(snapshot, [], $"heartbeat|{snapshot.Metadata.Host}|{head.Sequence}|{head.Head}", heartbeat: true, CancellationToken.None, notices).ConfigureAwait(false);
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count:N0} {noun}s";

    private static string Fingerprint(DriftReport report) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(report.ToPatch(), SnapshotJson.Options)))[..32];

    private sealed record AlertState(string Fingerprint, DateTimeOffset AlertedAt);
}
