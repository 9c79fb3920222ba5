using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Threading.Channels;
using InfraDiff.Diffing;
using InfraDiff.Packaging;
using InfraDiff.Pipeline;
using InfraDiff.Shared;

namespace InfraDiff.Collectors.Files;

/// <param name="HostPath">The path as the host sees it.</param>
/// <param name="RealPath">Where it is on this machine.</param>
/// <param name="Status">What lstat said.</param>
/// <param name="PackageDigest">The algorithm of the owning package's recorded digest, when it is not SHA-256 and must be computed too.</param>
internal readonly record struct PendingHash(string HostPath, string RealPath, FileStatus Status, HashAlgorithmName? PackageDigest);

/// <summary>The walk of one scan (on one thread, while hashing runs on all cores): what it found, what it reused from the cache, what it hashed.</summary>
internal sealed class FileWalk(
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

    // .NET skips "hidden" entries by default, and on Unix a name starting with '.' is hidden: a setuid file named
    // ".cache-update" would be invisible.
    private static readonly EnumerationOptions EverythingInDirectory = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    public void Walk(IReadOnlyList<string> roots, ChannelWriter<PendingHash> toHash, CancellationToken cancellationToken)
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

    private void Visit(string hostPath, FileStatus status, ulong rootDevice, Stack<string> pending, ChannelWriter<PendingHash> toHash, CancellationToken cancellationToken)
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
                    var item = new PendingHash(hostPath, context.Files.MapPath(hostPath), status, packageDigest);
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

    private bool IsExcluded(string hostPath)
    {
        // A loop, not Any(): a lambda capturing the path would be allocated for every path walked.
        foreach (var exclude in excludes)
        {
            if (exclude.Matches(hostPath))
            {
                return true;
            }
        }

        return false;
    }

    private FileStatus? Stat(string hostPath)
    {
        try
        {
            return FileStatus.LStat(context.Files.MapPath(hostPath));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            InfraDiffLog.RootUnreadable(context.Logger, ex.Message);
            return null;
        }
    }
}
