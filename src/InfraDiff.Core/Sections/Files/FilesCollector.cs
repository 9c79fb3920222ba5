using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using InfraDiff.Host;
using InfraDiff.Packaging;

namespace InfraDiff.Sections.Files;

/// <summary>
/// The <c>files</c> section: every path under the configured roots, keyed by absolute path, with type, mode,
/// owner, size, SHA-256 and symlink target. Symlinks are never followed; each root stays on its filesystem;
/// files are hashed in parallel with streamed reads, and unchanged files reuse their hash from the stat cache.
/// </summary>
internal sealed class FilesCollector(FilesCollectorOptions options) : ITargetedCollector
{
    private readonly FilesCollectorOptions options = Validated(options);

    private static FilesCollectorOptions Validated(FilesCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    public string Name => FilesSection.Instance.Name;


    public SectionDescriptor Section => FilesSection.Instance;

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var excludes = Excludes(context);
        var cachePath = StatCache.PathFor(options.CacheDirectory, context.Files.Root);

        // The walk, the package database and the hash cache are read side by side: on a large host each takes a few
        // hundred milliseconds, and the walk needs neither.
        var walking = Task.Run(() => FileTree.Walk(context, excludes, [.. options.Roots.Select(HostPath.Normalize)], options.CrossFilesystems, cancellationToken), cancellationToken);
        var loadingPackages = options.VerifyPackages ? Task.Run(() => LoadPackagesAsync(context, options.UseCache ? options.CacheDirectory : null, cancellationToken), cancellationToken) : Task.FromResult(PackageFileIndex.None);
        var cache = options.UseCache ? StatCache.Load(cachePath, context.Files.Root, context.Logger) : StatCache.Empty();
        var found = await walking.ConfigureAwait(false);
        packages = await loadingPackages.ConfigureAwait(false);
        var scan = await ScanAsync(context, found, cache, packages, options, options.Progress, cancellationToken).ConfigureAwait(false);

        // With nothing hashed and nothing gone, the new cache equals the old one: no rewrite, no fsync.
        if (options.UseCache && (scan.FilesHashed > 0 || scan.NextCache.Count != cache.Count))
        {
            try
            {
                await scan.NextCache.SaveAsync(cachePath, context.Files.Root, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A full disk or a read-only cache folder costs the next scan its speed, never this scan its section.
                InfraDiffLog.CacheNotWritten(context.Logger, cachePath, ex.Message);
            }
        }

        InfraDiffLog.Scanned(context.Logger, scan.Entries.Count, scan.FilesHashed, scan.Reused);
        return FilesSection.Write(scan.Entries);
    }

    /// <summary>
    /// The section brought up to date from the paths real-time watching saw change, without a walk: each is examined
    /// again (a folder moved in is walked), one that is gone leaves with everything beneath it, the rest of
    /// <paramref name="previous"/> is copied as it is. The package database of the last full scan is kept for this,
    /// and read again when it changed.
    /// </summary>
    public async Task<JsonElement> UpdateAsync(CollectionContext context, JsonElement previous, IReadOnlyCollection<TouchedPath> touched, CancellationToken cancellationToken)
    {
        var excludes = Excludes(context);
        if (packages is null || (options.VerifyPackages && touched.Any(t => PackageDatabases.Paths.Any(d => t.Path.StartsWith(d, StringComparison.Ordinal)))))
        {
            packages = options.VerifyPackages ? await LoadPackagesAsync(context, options.UseCache ? options.CacheDirectory : null, cancellationToken).ConfigureAwait(false) : PackageFileIndex.None;
        }

        var covered = touched.Where(t => Covers(t.Path, excludes)).ToList();
        var found = new List<FoundPath>();
        foreach (var path in covered)
        {
            found.AddRange(FileTree.Walk(context, excludes, [path.Path], options.CrossFilesystems, cancellationToken, descend: path.Tree));
        }

        var scan = await ScanAsync(context, found, StatCache.Empty(), packages, options, null, cancellationToken).ConfigureAwait(false);

        // What was beneath a path that is gone, or is no longer a folder, or was walked again, is not kept from before.
        var replaced = covered.Where(t => t.Tree || !scan.Entries.TryGetValue(t.Path, out var entry) || entry.Type != FileEntry.Types.Directory).Select(t => t.Path + "/").ToList();
        var updates = covered.ToDictionary(t => t.Path, t => (FileEntry?)null, StringComparer.Ordinal);
        foreach (var (path, entry) in scan.Entries)
        {
            updates[path] = entry;
        }

        return FilesSection.Merge(previous, updates, replaced);
    }

    /// <summary>Whether a path is one this section records: under a root, not excluded.</summary>
    public bool Covers(string hostPath) => Covers(hostPath, liveExcludes ??= Excludes(null));

    public IEnumerable<string> Roots => options.Roots;

    private PointerGlob[]? liveExcludes;

    private bool Covers(string hostPath, PointerGlob[] excludes) =>
        (roots ??= [.. options.Roots.Select(r => HostPath.Normalize(r).TrimEnd('/'))]).Any(r => r.Length == 0 || hostPath == r || (hostPath.StartsWith(r, StringComparison.Ordinal) && hostPath.Length > r.Length && hostPath[r.Length] == '/'))
        && !excludes.Any(e => e.Matches(hostPath));

    private string[]? roots;

    /// <summary>The excludes, with the hash cache on the live host: it is rewritten by this very scan, so would always drift.</summary>
    private PointerGlob[] Excludes(CollectionContext? context) =>
        [.. options.Excludes.Concat(context is null || context.IsLiveHost ? [Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.CacheDirectory))] : [])
            .Select(p => new PointerGlob(HostPath.Normalize(p)))];

    /// <summary>The package database the last scan read: what a targeted update describes files with.</summary>
    private PackageFileIndex? packages;

    /// <summary>Describes what a walk found: files whose status the cache knows reuse its hashes, the rest are hashed on every core.</summary>
    private static async Task<FileScan> ScanAsync(CollectionContext context, List<FoundPath> found, StatCache cache, PackageFileIndex packages, FilesCollectorOptions options, IProgress<FileHashProgress>? progressSink, CancellationToken cancellationToken)
    {
        var owners = AccountParsers.UserNames(context.Files.ReadTextOrNull("/etc/passwd") ?? "");
        var groups = AccountParsers.GroupNames(context.Files.ReadTextOrNull("/etc/group") ?? "");
        var scan = new FileScan(context, cache, owners, groups, packages) { Throttle = options.MaxReadRate is { } rate ? new ReadThrottle(rate) : null };
        var toHash = Channel.CreateBounded<PendingHash>(new BoundedChannelOptions(4096) { SingleWriter = true });
        var hashed = new ConcurrentQueue<(PendingHash Item, Digests? Digests, string? Error)>();
        var stopwatch = Stopwatch.StartNew();
        using var progress = progressSink is { } sink
            ? new Timer(_ => sink.Report(new FileHashProgress(Interlocked.Read(ref scan.FilesHashed), Interlocked.Read(ref scan.BytesHashed), stopwatch.Elapsed)), null, 250, 250)
            : null;

        // The status the hash was taken under, which a retry may have refreshed.
        var hashing = FileLanes.HashAllAsync(toHash.Reader, scan, (item, digests, error) => hashed.Enqueue((item, digests, error)), cancellationToken, threads: options.Threads);
        try
        {
            try
            {
                await Task.Run(() => scan.Settle(found, toHash.Writer, cancellationToken), cancellationToken).ConfigureAwait(false);

                // Every path is in the scan's entries now: what the walk found is not kept beside them.
                found.Clear();
                found.TrimExcess();
            }
            finally
            {
                toHash.Writer.Complete();
            }

            await hashing.ConfigureAwait(false);
        }
        finally
        {
            // The progress line is ended however the scan ends, so a timeout's message starts on a line of its own.
            progress?.Dispose();
            progressSink?.Report(new FileHashProgress(scan.FilesHashed, scan.BytesHashed, stopwatch.Elapsed, Done: true));
        }

        foreach (var (item, digests, error) in hashed)
        {
            scan.Entries[item.HostPath] = scan.Describe(item.HostPath, item.Status, digests, null, error);
            if (digests is { } d)
            {
                scan.NextCache.Add(item.HostPath, item.Status, d);
            }
        }

        return scan;
    }

    private static async Task<PackageFileIndex> LoadPackagesAsync(CollectionContext context, string? cacheDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var index = cacheDirectory is null
                ? await PackageDatabases.LoadAsync(context, cancellationToken).ConfigureAwait(false)
                : await PackageIndexCache.LoadAsync(context, cacheDirectory, cancellationToken).ConfigureAwait(false);
            InfraDiffLog.PackageFiles(context.Logger, index.Count, index.Source);
            return index;
        }
        catch (Exception ex) when (ex is InfraDiffException or IOException or FormatException or UnauthorizedAccessException)
        {
            // Without the database the files are still recorded; only their package and verdict are missing, and said so.
            context.ReportFailed("packageOwnership", $"the package database could not be read: {ex.Message}");
            return PackageFileIndex.None;
        }
    }


}

