using System.Diagnostics;
using System.Text.Json;
using InfraDiff.Host;
using InfraDiff.Sections;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Pipeline;

/// <summary>Runs the collectors concurrently, each with its own timeout, and assembles their sections into a snapshot.</summary>
public sealed class Snapshotter
{
    private readonly IReadOnlyList<ICollector> collectors;
    private readonly ICommandRunner commands;
    private readonly ILogger logger;
    private readonly ILoggerFactory? loggerFactory;
    private readonly TimeProvider clock;

    /// <summary>Creates a snapshotter over the given collectors.</summary>
    /// <param name="collectors">The collectors, each named once.</param>
    /// <param name="commands">How collectors run commands (default: local processes).</param>
    /// <param name="logger">Where the snapshotter logs.</param>
    /// <param name="clock">The time snapshots are stamped with.</param>
    /// <param name="loggerFactory">When given, each collector logs, and its failures are logged, under a category of its own ("InfraDiff.Collectors.files").</param>
    public Snapshotter(IEnumerable<ICollector> collectors, ICommandRunner? commands = null, ILogger<Snapshotter>? logger = null, TimeProvider? clock = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        this.collectors = collectors.ToArray();
        var duplicate = this.collectors.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two collectors are named '{duplicate.Key}' ({string.Join(" and ", duplicate.Select(c => c.GetType().Name))}): register one, or replace the other (InfraDiffBuilder.ReplaceCollector)", nameof(collectors));
        }

        var reserved = this.collectors.FirstOrDefault(c => Snapshot.ReservedKeys.Contains(c.Name));
        if (reserved is not null)
        {
            throw new ArgumentException($"'{reserved.Name}' is reserved and cannot name a collector", nameof(collectors));
        }

        var misnamed = this.collectors.FirstOrDefault(c => c.Section.Name != c.Name);
        if (misnamed is not null)
        {
            throw new ArgumentException($"the collector '{misnamed.Name}' describes a section named '{misnamed.Section.Name}'", nameof(collectors));
        }

        this.commands = commands ?? LocalCommandRunner.Instance;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        this.loggerFactory = loggerFactory;
    }

    /// <summary>The event id of the warning logged when a collector fails or times out (its state carries Collector, Status and Reason).</summary>
    public const int CollectorFailedEventId = 1001;

    /// <summary>The names of the collectors this snapshotter knows.</summary>
    public IEnumerable<string> CollectorNames => collectors.Select(c => c.Name);

    /// <summary>What the sections of this snapshotter's collectors mean: what a comparison of its snapshots is built with (<see cref="Diffing.DriftRules.Sections"/>).</summary>
    public IReadOnlyList<SectionDescriptor> Sections => [.. collectors.Select(c => c.Section)];

    /// <summary>The "infradiff X.Y.Z" string recorded in metadata.</summary>
    public static string ToolVersion => Tool.Name;

    /// <summary>Takes a snapshot. Collector failures are recorded in metadata, never thrown.</summary>
    /// <exception cref="InfraDiffException">The options name an unknown collector or a root that does not exist.</exception>
    public async Task<Snapshot> TakeAsync(SnapshotOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var selected = Select(options);
        if (!Directory.Exists(options.Root))
        {
            throw new InvalidOptionException("SnapshotOptions.Root", $"{options.Root}: no such directory");
        }

        var files = RootedFileSystem.For(options.Root);
        if (options.LiveKernel && options.Root != "/")
        {
            CheckHostNamespaces();
        }

        var takenAt = clock.GetUtcNow();
        var results = await Task.WhenAll(selected.Select(c => RunAsync(c, c.CollectAsync, files, options.LiveKernel, options.TimeoutFor(c.Name), cancellationToken))).ConfigureAwait(false);
        return Assemble(files, takenAt, results);
    }

    /// <summary>
    /// A snapshot made from <paramref name="previous"/> and the paths that changed since, as real-time watching
    /// sees them: the files section examines those paths alone, a section with an input among them is read again
    /// whole, every other section (and its collector's report) is kept as it was.
    /// </summary>
    internal async Task<Snapshot> UpdateAsync(SnapshotOptions options, Snapshot previous, IReadOnlyCollection<TouchedPath> touched, CancellationToken cancellationToken)
    {
        options.Validate();
        var files = RootedFileSystem.For(options.Root);
        var takenAt = clock.GetUtcNow();
        var results = await Task.WhenAll(Select(options).Select(c =>
        {
            var timeout = options.TimeoutFor(c.Name);
            var had = previous.Sections.TryGetValue(c.Name, out var section) && previous.Metadata.Collectors.TryGetValue(c.Name, out var report) && report.Status == CollectorStatus.Ok;
            if (had && c is ITargetedCollector targeted)
            {
                return touched.Any(t => targeted.Covers(t.Path))
                    ? RunAsync(c, async (context, token) => await targeted.UpdateAsync(context, section, touched, token).ConfigureAwait(false), files, options.LiveKernel, timeout, cancellationToken)
                    : Task.FromResult(Kept(c.Name, previous));
            }

            return !had || touched.Any(t => c.Section.Reads(t.Path))
                ? RunAsync(c, c.CollectAsync, files, options.LiveKernel, timeout, cancellationToken)
                : Task.FromResult(Kept(c.Name, previous));
        })).ConfigureAwait(false);
        return Assemble(files, takenAt, results);
    }

    /// <summary>Which of this snapshotter's sections read <paramref name="hostPath"/> (the files section: records it).</summary>
    internal IEnumerable<string> SectionsReading(string hostPath) =>
        collectors.Where(c => c is ITargetedCollector t ? t.Covers(hostPath) : c.Section.Reads(hostPath)).Select(c => c.Name);

    /// <summary>The folders and files this snapshotter's sections read: the files section's roots and every section's inputs.</summary>
    internal IEnumerable<string> Watched => collectors.SelectMany(c => c is ITargetedCollector t ? t.Roots : c.Section.Inputs);

    private static (string Name, CollectorReport Report, JsonElement? Section) Kept(string name, Snapshot previous) =>
        (name, previous.Metadata.Collectors.TryGetValue(name, out var report) ? report : new CollectorReport(CollectorStatus.Failed, 0, "not collected"), previous.Sections.TryGetValue(name, out var section) ? section : null);

    private static Snapshot Assemble(IHostFileSystem files, DateTimeOffset takenAt, (string Name, CollectorReport Report, JsonElement? Section)[] results)
    {
        var reports = new Dictionary<string, CollectorReport>(StringComparer.Ordinal);
        var sections = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, report, section) in results)
        {
            reports[name] = report;
            if (section is { } s)
            {
                sections[name] = s;
            }
        }

        var metadata = new SnapshotMetadata(HostName(files), TruncateToSeconds(takenAt), ToolVersion, reports);
        return new Snapshot(Snapshot.CurrentSchemaVersion, metadata, sections);
    }

    /// <summary>The host's name for the metadata; a hostname file that cannot be read (the os section says why) is "unknown".</summary>
    private static string HostName(IHostFileSystem files)
    {
        try
        {
            return files.ReadHostName() ?? (files.Root == "/" ? Environment.MachineName : "unknown");
        }
        catch (Exception ex) when (ex is HostFileException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// The kernel this process sees is the host's only when PID 1 is the host's init (its mounts are not this
    /// process's) and shares this process's network namespace (the same interfaces in /proc/1/net/dev).
    /// </summary>
    private static void CheckHostNamespaces()
    {
        static string? Read(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        static string? Interfaces(string? dev) =>
            dev is null ? null : string.Join(',', dev.Split('\n').Skip(2).Select(l => l.Split(':')[0].Trim()).Where(n => n.Length > 0).Order(StringComparer.Ordinal));

        if (Environment.ProcessId == 1 || Read("/proc/1/mountinfo") is not { } initMounts || initMounts == Read("/proc/self/mountinfo"))
        {
            throw new InvalidOptionException("SnapshotOptions.LiveKernel", "needs the host's PID namespace (docker run --pid host): PID 1 here is not the host's init");
        }

        if (Interfaces(Read("/proc/1/net/dev")) is not { } hostInterfaces || hostInterfaces != Interfaces(Read("/proc/self/net/dev")))
        {
            throw new InvalidOptionException("SnapshotOptions.LiveKernel", "needs the host's network namespace (docker run --network host)");
        }
    }

    private List<ICollector> Select(SnapshotOptions options)
    {
        var known = collectors.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in options.Only.Concat(options.Exclude))
        {
            if (!known.Contains(name))
            {
                throw new InfraDiffException($"unknown collector '{name}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }

        return collectors
            .Where(c => options.Only.Count == 0 || options.Only.Contains(c.Name))
            .Where(c => !options.Exclude.Contains(c.Name))
            .ToList();
    }

    private async Task<(string Name, CollectorReport Report, JsonElement? Section)> RunAsync(
        ICollector collector,
        Func<CollectionContext, CancellationToken, Task<object>> collect,
        IHostFileSystem files,
        bool liveKernel,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory?.CreateLogger("InfraDiff.Collectors." + collector.Name) ?? this.logger;
        var context = new CollectionContext(files, commands, logger, liveKernel);
        var stopwatch = Stopwatch.StartNew();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            // On the thread pool, and waited for no longer than the limit: a collector that blocks synchronously or
            // ignores its token neither holds up the others nor outlives its timeout.
            var model = await Task.Run(() => collect(context, timeoutSource.Token), timeoutSource.Token)
                .WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            var section = SnapshotJson.ToElement(model);
            if (section.ValueKind != JsonValueKind.Object)
            {
                return Failed(CollectorStatus.Failed, $"the collector returned a JSON {section.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            foreach (var (part, reason) in context.FailedParts)
            {
                InfraDiffLog.PartFailed(logger, collector.Name, part, reason);
            }

            Measure(collector.Name, "ok", stopwatch);
            return (collector.Name, new CollectorReport(CollectorStatus.Ok, stopwatch.ElapsedMilliseconds, Unavailable: Sorted(context.UnavailableParts), Failed: Sorted(context.FailedParts)), section);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(CollectorStatus.Timeout, $"did not finish within {timeout.TotalSeconds:0.###} s");
        }
        catch (CollectorUnavailableException ex)
        {
            return Failed(CollectorStatus.Unavailable, ex.Message);
        }
        catch (CommandNotFoundException ex)
        {
            return Failed(CollectorStatus.Unavailable, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(CollectorStatus.Failed, ex.Message, ex);
        }

        (string, CollectorReport, JsonElement?) Failed(CollectorStatus status, string reason, Exception? exception = null)
        {
            if (status == CollectorStatus.Unavailable)
            {
                InfraDiffLog.CollectorUnavailable(logger, collector.Name, reason);
            }
            else
            {
                InfraDiffLog.CollectorFailed(logger, collector.Name, status == CollectorStatus.Timeout ? "timed out" : "failed", reason, exception);
            }

            Measure(collector.Name, EnumNames.Of(status), stopwatch);
            return (collector.Name, new CollectorReport(status, stopwatch.ElapsedMilliseconds, reason), null);
        }
    }

    private static void Measure(string collector, string status, Stopwatch stopwatch) =>
        InfraDiffMetrics.CollectorDuration.Record(stopwatch.Elapsed.TotalSeconds, new("collector", collector), new("status", status));

    private static SortedDictionary<string, string>? Sorted(IReadOnlyDictionary<string, string> parts) =>
        parts.Count == 0 ? null : new SortedDictionary<string, string>(parts.ToDictionary(), StringComparer.Ordinal);

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
