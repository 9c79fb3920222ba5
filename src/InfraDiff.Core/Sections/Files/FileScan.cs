using System.Security.Cryptography;
using System.Threading.Channels;
using InfraDiff.Packaging;

namespace InfraDiff.Sections.Files;

/// <param name="HostPath">The path as the host sees it.</param>
/// <param name="RealPath">Where it is on this machine.</param>
/// <param name="Status">What lstat said.</param>
/// <param name="PackageDigest">The algorithm of the owning package's recorded digest, when it is not SHA-256 and must be computed too.</param>
internal readonly record struct PendingHash(string HostPath, string RealPath, FileStatus Status, HashAlgorithmName? PackageDigest);

/// <summary>What one scan made of the walk (on one thread, while hashing runs on all cores): its entries, what it reused from the cache, what it hashed.</summary>
internal sealed class FileScan(
    CollectionContext context,
    StatCache cache,
    Dictionary<long, string> owners,
    Dictionary<long, string> groups,
    PackageFileIndex packages)
{
    public long FilesHashed;

    /// <summary>What paces the hashers' reads, when a rate is set.</summary>
    public ReadThrottle? Throttle { get; init; }
    public long BytesHashed;

    public Dictionary<string, FileEntry> Entries { get; } = new(StringComparer.Ordinal);

    public StatCache NextCache { get; } = StatCache.Empty(cache.Count);

    public long Reused { get; private set; }

    /// <summary>
    /// Settles what the walk found: a file whose stat fields match the cache reuses its hashes, any other file goes
    /// to the hashers; every other path is described at once.
    /// </summary>
    public void Settle(List<FoundPath> found, ChannelWriter<PendingHash> toHash, CancellationToken cancellationToken)
    {
        Entries.EnsureCapacity(found.Count);
        foreach (var (hostPath, status, target, unreadable) in found)
        {
            if (status.Kind != FileKind.File)
            {
                // Directories, symlinks and the rest are described from lstat alone: sockets, FIFOs and devices are
                // never opened (reading a FIFO would block).
                Entries[hostPath] = Describe(hostPath, status, null, target, unreadable ? "permission denied" : null);
                continue;
            }

            var owner = packages.Owner(hostPath);
            var packageDigest = PackageDigestFor(owner);
            if (cache.Lookup(hostPath, status) is { } cached && (packageDigest is null || cached.Package is not null))
            {
                Reused++;
                NextCache.Add(hostPath, status, cached);
                Entries[hostPath] = Describe(owner, status, cached, null, null);
                continue;
            }

            // The entry is written when its hash arrives; waiting here is what keeps memory flat.
            var item = new PendingHash(hostPath, context.Files.MapPath(hostPath), status, packageDigest);
            while (!toHash.TryWrite(item))
            {
                cancellationToken.ThrowIfCancellationRequested();
                toHash.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// An entry, with its package where one owns it (files and symlinks; directories are shared) and, for a file
    /// whose package recorded a digest, whether the content still matches it.
    /// </summary>
    public FileEntry Describe(string hostPath, FileStatus status, Digests? digests, string? target, string? error) =>
        Describe(status.Kind is FileKind.File or FileKind.Symlink ? packages.Owner(hostPath) : null, status, digests, target, error);

    /// <summary>An entry whose owning package was already looked up (a file settled from the cache).</summary>
    private FileEntry Describe(PackageFile? owner, FileStatus status, Digests? digests, string? target, string? error)
    {
        bool? verified = owner?.Digest is { } expected && digests is { } d
            ? expected == Convert.ToHexStringLower(packages.Algorithm == DigestAlgorithm.Sha256 ? d.Sha256 : d.Package ?? [])
            : null;
        return new FileEntry(
            status.Kind switch { FileKind.File => FileEntry.Types.File, FileKind.Directory => FileEntry.Types.Directory, FileKind.Symlink => FileEntry.Types.Symlink, _ => FileEntry.Types.Other },
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

    private HashAlgorithmName? PackageDigestFor(PackageFile? owner) =>
        owner?.Digest is null ? null
        : packages.Algorithm switch { DigestAlgorithm.Md5 => HashAlgorithmName.MD5, DigestAlgorithm.Sha1 => HashAlgorithmName.SHA1, _ => null };
}
