using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using InfraDiff.Collection;
using InfraDiff.Collectors.Users;
using InfraDiff.Diffing;
using InfraDiff.Packaging;
using InfraDiff.Snapshots;

namespace InfraDiff.Collectors.Files;

/// <summary>
/// The <c>files</c> section: every path under the configured roots, keyed by absolute path, with type, mode,
/// owner, size, SHA-256 and symlink target. Symlinks are never followed; each root stays on its filesystem;
/// files are hashed in parallel with streamed reads, and unchanged files reuse their hash from the stat cache.
/// </summary>
internal sealed class FilesCollector(FilesCollectorOptions options) : ICollector
{
    private const int HashBufferSize = 1 << 17;

    // .NET skips "hidden" entries by default, and on Unix a name starting with '.' is hidden: a setuid file named
    // ".cache-update" would be invisible.
    private static readonly EnumerationOptions EverythingInDirectory = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    public string Name => "files";

    public async Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        // On the live host the hash cache is rewritten by this very scan: never drift.
        var excludes = options.Excludes.Concat(context.IsLiveHost ? [Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.CacheDirectory))] : [])
            .Select(p => new PointerGlob(p)).ToArray();
        var owners = Names(context, "/etc/passwd", text => AccountParsers.ParsePasswd(text).Select(e => (e.Uid, e.Name)));
        var groups = Names(context, "/etc/group", text => AccountParsers.ParseGroup(text).Select(e => (e.Gid, e.Name)));
        var cachePath = StatCache.PathFor(options.CacheDirectory, context.Files.Root);
        var cache = options.UseCache ? StatCache.Load(cachePath, context.Files.Root, context.Logger) : StatCache.Empty();

        var packages = options.VerifyPackages ? await LoadPackagesAsync(context, cancellationToken).ConfigureAwait(false) : PackageFileIndex.None;
        var scan = new Scan(context, excludes, cache, owners, groups, options.CrossFilesystems, packages);
        var toHash = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4096) { SingleWriter = true });
        var hashed = new ConcurrentQueue<(Pending Item, Digests? Digests, string? Error)>();
        var stopwatch = Stopwatch.StartNew();
        using var progress = options.Progress is { } sink
            ? new Timer(_ => sink.Report(new FileHashProgress(Interlocked.Read(ref scan.FilesHashed), Interlocked.Read(ref scan.BytesHashed), stopwatch.Elapsed)), null, 250, 250)
            : null;

        var hashing = Parallel.ForEachAsync(
            toHash.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            (item, token) =>
            {
                var (digests, error, status) = HashStable(item, scan, token);
                if (digests is not null || error is not null)
                {
                    // The status the hash was taken under, which a retry may have refreshed.
                    hashed.Enqueue((item with { Status = status }, digests, error));
                }

                return ValueTask.CompletedTask;
            });
        try
        {
            try
            {
                await Task.Run(() => scan.Walk(options.Roots, toHash.Writer, cancellationToken), cancellationToken).ConfigureAwait(false);
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
                FilesLog.CacheNotWritten(context.Logger, cachePath, ex.Message);
            }
        }

        FilesLog.Scanned(context.Logger, scan.Entries.Count, scan.FilesHashed, scan.Reused);
        return ToSection(scan.Entries);
    }

    /// <summary>
    /// The section written straight to JSON in ordinal key order: tens of thousands of entries would cost more
    /// through reflection serialization, and the canonical writer passes an ordered object through unsorted.
    /// </summary>
    private static JsonElement ToSection(Dictionary<string, FileEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (entries.Count * 200));
        using (var writer = new Utf8JsonWriter(buffer, SnapshotJson.CompactWriter))
        {
            writer.WriteStartObject();
            foreach (var (path, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(path);
                entry.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        // Parsed in place, not copied: the document lives as long as the snapshot that holds its root.
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    /// <summary>
    /// Hashes a file and re-stats it, as AIDE does: a hash taken while the file changed is discarded and taken
    /// once more; a file still changing is recorded with an error rather than a hash it never had.
    /// </summary>
    private static (Digests? Digests, string? Error, FileStatus Status) HashStable(Pending item, Scan scan, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Digests digests;
            try
            {
                digests = Hash(item.RealPath, scan, item.PackageDigest, cancellationToken);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return (null, null, item.Status);
            }
            catch (UnauthorizedAccessException)
            {
                return (null, "permission denied", item.Status);
            }
            catch (IOException ex)
            {
                return (null, ex.Message, item.Status);
            }

            var after = FileStatus.LStat(item.RealPath);
            if (after is null)
            {
                return (null, null, item.Status);
            }

            if (after.Value == item.Status)
            {
                return (digests, null, item.Status);
            }

            item = item with { Status = after.Value };
        }

        return (null, "changed while being hashed", item.Status);
    }

    /// <summary>
    /// SHA-256 of a file in streamed reads, and in the same reads the digest its package database records when that
    /// is another algorithm (dpkg's MD5, apk's SHA-1); stops between reads when cancelled (a 30 GB sparse file must
    /// not outlive a timeout).
    /// </summary>
    private static Digests Hash(string path, Scan scan, HashAlgorithmName? packageDigest, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            using var handle = FileStatus.OpenForReading(path);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var package = packageDigest is { } algorithm ? IncrementalHash.CreateHash(algorithm) : null;
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(0, HashBufferSize), offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                package?.AppendData(buffer, 0, read);
                offset += read;
            }

            Interlocked.Increment(ref scan.FilesHashed);
            Interlocked.Add(ref scan.BytesHashed, offset);
            return new Digests(sha256.GetHashAndReset(), package?.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Dictionary<long, string> Names(CollectionContext context, string file, Func<string, IEnumerable<(long Id, string Name)>> parse)
    {
        var names = new Dictionary<long, string>();
        foreach (var (id, name) in parse(context.Files.ReadTextOrNull(file) ?? ""))
        {
            names.TryAdd(id, name);
        }

        return names;
    }

    private static async Task<PackageFileIndex> LoadPackagesAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var index = await PackageDatabases.LoadAsync(context, cancellationToken).ConfigureAwait(false);
            FilesLog.PackageFiles(context.Logger, index.Count, index.Source);
            return index;
        }
        catch (Exception ex) when (ex is InfraDiffException or IOException or FormatException or UnauthorizedAccessException)
        {
            // Without the database the files are still recorded; only their package and verdict are missing, and said so.
            context.ReportFailed("packageOwnership", $"the package database could not be read: {ex.Message}");
            return PackageFileIndex.None;
        }
    }

    /// <param name="HostPath">The path as the host sees it.</param>
    /// <param name="RealPath">Where it is on this machine.</param>
    /// <param name="Status">What lstat said.</param>
    /// <param name="PackageDigest">The algorithm of the owning package's recorded digest, when it is not SHA-256 and must be computed too.</param>
    private readonly record struct Pending(string HostPath, string RealPath, FileStatus Status, HashAlgorithmName? PackageDigest);

    /// <summary>The state of one scan: the walk runs on one thread, hashing on all cores.</summary>
    private sealed class Scan(
        CollectionContext context,
        PointerGlob[] excludes,
        StatCache cache,
        Dictionary<long, string> owners,
        Dictionary<long, string> groups,
        bool crossFilesystems,
        PackageFileIndex packages)
    {
        public long FilesHashed;
        public long BytesHashed;

        public Dictionary<string, FileEntry> Entries { get; } = new(StringComparer.Ordinal);

        public StatCache NextCache { get; } = StatCache.Empty();

        public long Reused { get; private set; }

        public void Walk(IReadOnlyList<string> roots, ChannelWriter<Pending> toHash, CancellationToken cancellationToken)
        {
            foreach (var root in roots)
            {
                var hostRoot = root.Length > 1 ? root.TrimEnd('/') : root;
                if (IsExcluded(hostRoot) || !ReachedWithoutLinks(hostRoot) || Stat(hostRoot) is not { } rootStatus)
                {
                    continue;
                }

                var pending = new Stack<string>();
                Visit(hostRoot, rootStatus, rootStatus.Device, pending, toHash, cancellationToken);
                while (pending.TryPop(out var directory))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    IEnumerable<string> children;
                    try
                    {
                        children = new FileSystemEnumerable<string>(context.Files.MapPath(directory), static (ref FileSystemEntry entry) => entry.FileName.ToString(), EverythingInDirectory).ToList();
                    }
                    catch (Exception ex) when (ex is UnauthorizedAccessException or DirectoryNotFoundException or IOException)
                    {
                        if (Entries.TryGetValue(directory, out var entry) && ex is UnauthorizedAccessException)
                        {
                            Entries[directory] = entry with { Error = "permission denied" };
                        }

                        continue;
                    }

                    foreach (var name in children)
                    {
                        var hostPath = directory == "/" ? "/" + name : directory + "/" + name;
                        if (!IsExcluded(hostPath) && Stat(hostPath) is { } status)
                        {
                            Visit(hostPath, status, rootStatus.Device, pending, toHash, cancellationToken);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Whether a root's parent directories are real directories under the root: a symlink among them (an image's
        /// /usr pointing at "/") would take the walk outside it. Such a root is a failed part, not scanned.
        /// </summary>
        private bool ReachedWithoutLinks(string hostRoot)
        {
            var parent = Path.GetDirectoryName(hostRoot);
            if (context.IsLiveHost || parent is null or "/")
            {
                return true;
            }

            var real = context.Files.ResolveDirectory(parent);
            var lexical = context.Files.MapPath(parent);
            if (real == lexical || (real is null && FileStatus.LStat(lexical) is null))
            {
                return true;
            }

            var where = real is null ? "to nothing inside the root" : $"to {real[context.Files.Root.Length..]} inside the root";
            context.ReportFailed(JsonPointer.Escape(hostRoot), $"{parent} leads through a symlink ({where}): {hostRoot} not scanned");
            return false;
        }

        private void Visit(string hostPath, FileStatus status, ulong rootDevice, Stack<string> pending, ChannelWriter<Pending> toHash, CancellationToken cancellationToken)
        {
            switch (status.Kind)
            {
                case FileKind.File:
                    var packageDigest = PackageDigestFor(hostPath);
                    if (cache.Lookup(hostPath, status) is { } cached && (packageDigest is null || cached.Package is not null))
                    {
                        Reused++;
                        NextCache.Add(hostPath, status, cached);
                        Entries[hostPath] = Describe(hostPath, status, cached, null, null);
                    }
                    else
                    {
                        // The entry is written when its hash arrives; waiting here is what keeps memory flat.
                        var item = new Pending(hostPath, context.Files.MapPath(hostPath), status, packageDigest);
                        while (!toHash.TryWrite(item))
                        {
                            toHash.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
                        }
                    }

                    break;
                case FileKind.Directory:
                    Entries[hostPath] = Describe(hostPath, status, null, null, null);
                    if (crossFilesystems || status.Device == rootDevice)
                    {
                        pending.Push(hostPath);
                    }

                    break;
                case FileKind.Symlink:
                    string? target = null;
                    try
                    {
                        target = new FileInfo(context.Files.MapPath(hostPath)).LinkTarget;
                    }
                    catch (IOException)
                    {
                        // Gone or changed between lstat and readlink: recorded without a target.
                    }

                    Entries[hostPath] = Describe(hostPath, status, null, target, null);
                    break;
                default:
                    // Sockets, FIFOs and devices are recorded but never opened: reading a FIFO would block.
                    Entries[hostPath] = Describe(hostPath, status, null, null, null);
                    break;
            }
        }

        /// <summary>
        /// An entry, with its package where one owns it (files and symlinks; directories are shared) and, for a file
        /// whose package recorded a digest, whether the content still matches it.
        /// </summary>
        public FileEntry Describe(string hostPath, FileStatus status, Digests? digests, string? target, string? error)
        {
            var owner = status.Kind is FileKind.File or FileKind.Symlink ? packages.Owner(hostPath) : null;
            bool? verified = owner?.Digest is { } expected && digests is { } d
                ? expected == Convert.ToHexStringLower(packages.Algorithm == DigestAlgorithm.Sha256 ? d.Sha256 : d.Package ?? [])
                : null;
            return new FileEntry(
                status.Kind switch { FileKind.File => "file", FileKind.Directory => "dir", FileKind.Symlink => "symlink", _ => "other" },
                status.Kind == FileKind.Symlink ? null : status.OctalMode,
                status.Uid,
                owners.GetValueOrDefault(status.Uid),
                status.Gid,
                groups.GetValueOrDefault(status.Gid),
                status.Kind == FileKind.File ? status.Size : null,
                digests is { } hashes ? Convert.ToHexStringLower(hashes.Sha256) : null,
                target,
                error,
                owner?.Package,
                verified,
                owner is { Conffile: true } ? true : null);
        }

        private HashAlgorithmName? PackageDigestFor(string hostPath) =>
            packages.Owner(hostPath)?.Digest is null ? null
            : packages.Algorithm switch { DigestAlgorithm.Md5 => HashAlgorithmName.MD5, DigestAlgorithm.Sha1 => HashAlgorithmName.SHA1, _ => null };

        private bool IsExcluded(string hostPath) => excludes.Any(e => e.Matches(hostPath));

        private FileStatus? Stat(string hostPath)
        {
            try
            {
                return FileStatus.LStat(context.Files.MapPath(hostPath));
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                FilesLog.RootUnreadable(context.Logger, ex.Message);
                return null;
            }
        }
    }
}

/// <summary>One path in the <c>files</c> section. No atime, mtime, ctime or inode: they are noise in a diff; content changes show in the hash.</summary>
internal sealed record FileEntry(
    string Type,
    string? Mode,
    long Uid,
    string? Owner,
    long Gid,
    string? Group,
    long? Size,
    string? Sha256,
    string? Target,
    string? Error,
    string? Package = null,
    bool? Verified = null,
    bool? Conffile = null)
{
    /// <summary>Writes the entry as a JSON object: names in ordinal order, null values left out.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Conffile is { } conffile)
        {
            writer.WriteBoolean("conffile"u8, conffile);
        }

        WriteIfSet(writer, "error"u8, Error);
        writer.WriteNumber("gid"u8, Gid);
        WriteIfSet(writer, "group"u8, Group);
        WriteIfSet(writer, "mode"u8, Mode);
        WriteIfSet(writer, "owner"u8, Owner);
        WriteIfSet(writer, "package"u8, Package);
        WriteIfSet(writer, "sha256"u8, Sha256);
        if (Size is { } size)
        {
            writer.WriteNumber("size"u8, size);
        }

        WriteIfSet(writer, "target"u8, Target);
        writer.WriteString("type"u8, Type);
        writer.WriteNumber("uid"u8, Uid);
        if (Verified is { } verified)
        {
            writer.WriteBoolean("verified"u8, verified);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
