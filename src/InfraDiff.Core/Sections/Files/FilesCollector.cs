using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using InfraDiff.Host;
using InfraDiff.Packaging;

namespace InfraDiff.Sections.Files;

/// <summary>
/// The <c>files</c> section: every path under the configured roots, keyed by absolute path, with type, mode,
/// owner, size, SHA-256 and symlink target. Symlinks are never followed; each root stays on its filesystem;
/// files are hashed in parallel with streamed reads, and unchanged files reuse their hash from the stat cache.
/// </summary>
internal sealed class FilesCollector(FilesCollectorOptions options) : ICollector
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
        // On the live host the hash cache is rewritten by this very scan: never drift.
        var excludes = options.Excludes.Concat(context.IsLiveHost ? [Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.CacheDirectory))] : [])
            .Select(p => new PointerGlob(HostPath.Normalize(p))).ToArray();
        var owners = AccountParsers.UserNames(context.Files.ReadTextOrNull("/etc/passwd") ?? "");
        var groups = AccountParsers.GroupNames(context.Files.ReadTextOrNull("/etc/group") ?? "");
        var cachePath = StatCache.PathFor(options.CacheDirectory, context.Files.Root);

        // The walk, the package database and the hash cache are read side by side: on a large host each takes a few
        // hundred milliseconds, and the walk needs neither.
        var walking = Task.Run(() => FileTree.Walk(context, excludes, [.. options.Roots.Select(HostPath.Normalize)], options.CrossFilesystems, cancellationToken), cancellationToken);
        var loadingPackages = options.VerifyPackages ? Task.Run(() => LoadPackagesAsync(context, options.UseCache ? options.CacheDirectory : null, cancellationToken), cancellationToken) : Task.FromResult(PackageFileIndex.None);
        var cache = options.UseCache ? StatCache.Load(cachePath, context.Files.Root, context.Logger) : StatCache.Empty();
        var found = await walking.ConfigureAwait(false);
        var scan = new FileScan(context, cache, owners, groups, await loadingPackages.ConfigureAwait(false));
        var toHash = Channel.CreateBounded<PendingHash>(new BoundedChannelOptions(4096) { SingleWriter = true });
        var hashed = new ConcurrentQueue<(PendingHash Item, Digests? Digests, string? Error)>();
        var stopwatch = Stopwatch.StartNew();
        using var progress = options.Progress is { } sink
            ? new Timer(_ => sink.Report(new FileHashProgress(Interlocked.Read(ref scan.FilesHashed), Interlocked.Read(ref scan.BytesHashed), stopwatch.Elapsed)), null, 250, 250)
            : null;

        // The status the hash was taken under, which a retry may have refreshed.
        var hashing = FileLanes.HashAllAsync(toHash.Reader, scan, (item, digests, error) => hashed.Enqueue((item, digests, error)), cancellationToken);
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
            options.Progress?.Report(new FileHashProgress(scan.FilesHashed, scan.BytesHashed, stopwatch.Elapsed, Done: true));
        }

        foreach (var (item, digests, error) in hashed)
        {
            scan.Entries[item.HostPath] = scan.Describe(item.HostPath, item.Status, digests, null, error);
            if (digests is { } d)
            {
                scan.NextCache.Add(item.HostPath, item.Status, d);
            }
        }

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

