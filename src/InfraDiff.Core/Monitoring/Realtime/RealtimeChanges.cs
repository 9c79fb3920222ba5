using InfraDiff.Diffing;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>What real-time watching knows of one path since the last cycle: when it was first touched, by whom, and how.</summary>
/// <param name="By">Who touched it first.</param>
/// <param name="Pid">That process's pid, to count the others.</param>
/// <param name="Tree">Whether a folder was moved in there (what is beneath it is new too).</param>
/// <param name="Created">Whether the first event made the path (a create or a move in).</param>
/// <param name="Package">The package manager behind the first write, while it may still be running.</param>
/// <param name="Deleted">Whether the last event deleted it (not moved it away: what is moved lives on under its new name).</param>
internal sealed record Touch(ChangeActor By, int Pid, bool Tree, bool Created, PackageProcess? Package, bool Deleted = false);

/// <summary>The paths touched since the last cycle, and why a full cycle is needed instead, if it is.</summary>
/// <param name="Paths">Each path and what is known of it.</param>
/// <param name="Lost">Why some events were lost (the queue overflowed, a path could not be found): a full cycle runs.</param>
/// <param name="Events">How many events the batch stands for.</param>
internal sealed record TouchBatch(IReadOnlyDictionary<string, Touch> Paths, string? Lost, long Events);

/// <summary>
/// The paths fanotify reports changed, kept as paths, not events (a storm of writes to one file is one entry), each
/// with who touched it first, read at once while the writer can still be read; events outside what the sections read,
/// and this process's own writes, are dropped as they arrive. A reader thread fills it; the monitor takes a settled batch.
/// </summary>
internal sealed class RealtimeChanges : IDisposable
{
    /// <summary>More paths than this before a cycle could take them, and the batch is a full cycle's: memory holds paths, and stays bounded.</summary>
    public const int MaxPaths = 100_000;

    private readonly Fanotify fanotify;
    private readonly Func<string, string?> relevant;
    private readonly ProcessReader processes;
    private readonly TimeProvider clock;
    private readonly Thread reader;
    private readonly Lock gate = new();
    private readonly Dictionary<int, (string Started, ChangeActor Actor, PackageProcess? Package)> recent = [];
    private Dictionary<string, Touch> paths = new(StringComparer.Ordinal);
    private string? lost;
    private long events;
    private long firstEvent;
    private long lastEvent;
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RealtimeChanges(Fanotify fanotify, Func<string, string?> relevant, Func<long, string?> userName, TimeProvider clock)
    {
        this.fanotify = fanotify;
        this.relevant = relevant;
        this.clock = clock;
        processes = new ProcessReader(userName);
        reader = new Thread(ReadEvents) { IsBackground = true, Name = "infradiff fanotify" };
        reader.Start();
    }

    /// <summary>
    /// Starts watching the filesystems that hold <paramref name="marks"/>, or says why it cannot (no CAP_SYS_ADMIN, an
    /// unprivileged container, a kernel without filesystem marks). <paramref name="relevant"/> turns a path written on
    /// this machine into the host path a section reads, or null for a path no section reads (the event is dropped).
    /// </summary>
    public static RealtimeChanges? TryStart(IEnumerable<string> marks, Func<string, string?> relevant, Func<long, string?> userName, TimeProvider clock, out string? problem)
    {
        if (Fanotify.TryOpen(out problem) is not { } fanotify)
        {
            return null;
        }

        try
        {
            foreach (var path in marks.Where(Directory.Exists))
            {
                fanotify.MarkFilesystemOf(path);
            }
        }
        catch (IOException ex)
        {
            fanotify.Dispose();
            problem = ex.Message;
            return null;
        }

        return new RealtimeChanges(fanotify, relevant, userName, clock);
    }

    /// <summary>Whether events name the process behind them (Linux 5.15 and later).</summary>
    public bool KnowsWho => fanotify.HasPidfds;

    /// <summary>
    /// Waits for changes to settle: a batch once <paramref name="settle"/> has passed without a new event, or
    /// <paramref name="cap"/> since the first under a steady stream; while a package manager that made them still
    /// runs, until it ends (at most <paramref name="packageCap"/>), so an upgrade is one batch its packages explain, even
    /// when the kernel's queue overflowed under it.
    /// At <paramref name="deadline"/> (the next full cycle) whatever is pending is returned, or null for nothing.
    /// </summary>
    public async Task<TouchBatch?> NextAsync(TimeSpan settle, TimeSpan cap, TimeSpan packageCap, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wake;
            var now = clock.GetTimestamp();
            lock (gate)
            {
                if (paths.Count > 0 || lost is not null)
                {
                    var quiet = clock.GetElapsedTime(lastEvent, now);
                    var since = clock.GetElapsedTime(firstEvent, now);
                    var packageRunning = since < packageCap && paths.Values.Select(t => t.Package).OfType<PackageProcess>().Distinct().Any(ProcessReader.IsRunning);
                    // Lost events mean a full cycle, yet not in the middle of a package manager's work: its files would be
                    // found before its database says why.
                    if (clock.GetUtcNow() >= deadline || (!packageRunning && (lost is not null || quiet >= settle || since >= cap)))
                    {
                        return Take();
                    }

                    var wait = packageRunning ? TimeSpan.FromMilliseconds(250) : Min(settle - quiet, cap - since);
                    wake = Task.Delay(Max(wait, TimeSpan.FromMilliseconds(10)), clock, cancellationToken);
                }
                else
                {
                    wake = arrived.Task;
                }
            }

            var untilDeadline = deadline - clock.GetUtcNow();
            if (untilDeadline <= TimeSpan.Zero)
            {
                lock (gate)
                {
                    return paths.Count > 0 || lost is not null ? Take() : null;
                }
            }

            await Task.WhenAny(wake, Task.Delay(untilDeadline, clock, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private TouchBatch Take()
    {
        var batch = new TouchBatch(paths, lost, events);
        paths = new Dictionary<string, Touch>(StringComparer.Ordinal);
        lost = null;
        events = 0;
        arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return batch;
    }

    /// <summary>The reader thread: a fault there is a lost event (a full cycle), never the end of the process.</summary>
    private void ReadEvents()
    {
        try
        {
            fanotify.Read(
                change =>
                {
                    try
                    {
                        Received(change);
                    }
                    catch (Exception ex)
                    {
                        Lost($"an event could not be read ({ex.Message})");
                    }
                },
                Lost);
        }
        catch (Exception ex)
        {
            Lost($"real-time watching stopped ({ex.Message})");
        }
    }

    private void Received(FanotifyEvent change)
    {
        try
        {
            InfraDiffMetrics.RealtimeEvents.Add(1);
            if (change.Pid == Environment.ProcessId || relevant(change.Path) is not { } hostPath)
            {
                return;
            }

            change = change with { Path = hostPath };

            var now = clock.GetTimestamp();
            Touch? known;
            lock (gate)
            {
                events++;
                lastEvent = now;
                if (paths.Count == 0 && lost is null)
                {
                    firstEvent = now;
                }

                if (paths.TryGetValue(change.Path, out known))
                {
                    paths[change.Path] = known with
                    {
                        By = known.Pid == change.Pid ? known.By : known.By with { Others = known.By.Others + 1 },
                        Pid = change.Pid,
                        Tree = known.Tree || IsTree(change),
                        Deleted = IsDelete(change) || (known.Deleted && (change.Mask & (Fanotify.Create | Fanotify.MovedTo | Fanotify.MovedFrom)) == 0),
                    };
                }
            }

            if (known is null)
            {
                // Read while the writer may still be running: after the settle time most writers are gone.
                var (actor, package) = Who(change);
                var touch = new Touch(
                    actor,
                    change.Pid,
                    IsTree(change),
                    (change.Mask & (Fanotify.Create | Fanotify.MovedTo)) != 0,
                    package,
                    IsDelete(change));
                lock (gate)
                {
                    if (paths.Count >= MaxPaths)
                    {
                        lost ??= $"more than {MaxPaths:N0} paths changed before a cycle could take them";
                    }
                    else
                    {
                        paths.TryAdd(change.Path, touch);
                    }
                }
            }

            arrived.TrySetResult();
        }
        finally
        {
            if (change.Pidfd >= 0)
            {
                ProcessReader.Close(change.Pidfd);
            }
        }
    }

    /// <summary>
    /// Who the event's process is. A storm of writes from one process reads /proc once: a process read before is
    /// taken as it was while its pid still has the same start time (a pid with a new start time is someone else).
    /// </summary>
    private (ChangeActor Actor, PackageProcess? Package) Who(FanotifyEvent change)
    {
        var at = clock.GetUtcNow();
        if (change.Pidfd >= 0 && recent.TryGetValue(change.Pid, out var seen) && ProcessReader.StartedAt(change.Pid) == seen.Started && ProcessReader.Alive(change.Pidfd, change.Pid))
        {
            return (seen.Actor with { At = at }, seen.Package);
        }

        var (actor, package, started) = processes.Read(change.Pid, change.Pidfd, at);
        if (started is not null)
        {
            if (recent.Count > 1024)
            {
                recent.Clear();
            }

            recent[change.Pid] = (started, actor, package);
        }

        return (actor, package);
    }

    private void Lost(string reason)
    {
        InfraDiffMetrics.RealtimeOverflows.Add(1);
        lock (gate)
        {
            if (paths.Count == 0 && lost is null)
            {
                firstEvent = clock.GetTimestamp();
            }

            lost ??= reason;
            lastEvent = clock.GetTimestamp();
        }

        arrived.TrySetResult();
    }

    /// <summary>A folder moved in: what is beneath it arrived with it, without events of its own.</summary>
    private static bool IsTree(FanotifyEvent change) => (change.Mask & Fanotify.MovedTo) != 0 && (change.Mask & Fanotify.OnDirectory) != 0;

    private static bool IsDelete(FanotifyEvent change) => (change.Mask & Fanotify.Delete) != 0;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose()
    {
        fanotify.Stop();
        reader.Join();
        fanotify.Dispose();
    }
}
