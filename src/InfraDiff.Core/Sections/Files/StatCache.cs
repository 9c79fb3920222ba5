using Microsoft.Extensions.Logging;

namespace InfraDiff.Sections.Files;

/// <summary>
/// Remembers each hashed file's SHA-256 with the stat fields that must all be unchanged for the hash to be
/// reused: device, inode, size, mtime and ctime. ctime cannot be set from user space, so a rewrite that
/// restores the old mtime still misses the cache. The file is authenticated (<see cref="CacheFile"/>).
/// </summary>
internal sealed class StatCache
{
    // Version 3: the package database's digest (MD5, SHA-1) beside the SHA-256, and an HMAC over the whole file.
    private const string Magic = "INFRADIFF-FILES-CACHE 3";

    internal readonly record struct Entry(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs, Digests Digests);

    private readonly Dictionary<string, Entry> entries;

    private StatCache(Dictionary<string, Entry> entries) => this.entries = entries;

    public static StatCache Empty(int capacity = 0) => new(new Dictionary<string, Entry>(capacity, StringComparer.Ordinal));

    public int Count => entries.Count;

    /// <summary>The cached digests, when every stat field still matches.</summary>
    public Digests? Lookup(string path, in FileStatus status) =>
        entries.TryGetValue(path, out var entry)
        && entry.Device == status.Device && entry.Inode == status.Inode && entry.Size == status.Size
        && entry.ModifiedNs == status.ModifiedNs && entry.ChangedNs == status.ChangedNs
            ? entry.Digests
            : null;

    public void Add(string path, in FileStatus status, Digests digests) =>
        entries[path] = new Entry(status.Device, status.Inode, status.Size, status.ModifiedNs, status.ChangedNs, digests);

    /// <summary>The cache file for one scanned root.</summary>
    public static string PathFor(string cacheDirectory, string root) => CacheFile.PathFor(cacheDirectory, "files", root);

    /// <summary>Loads a cache; a missing one is empty, and a corrupt or foreign one is discarded with a warning.</summary>
    public static StatCache Load(string path, string root, ILogger logger)
    {
        try
        {
            using var reader = CacheFile.Open(path, Magic, root);
            if (reader is null)
            {
                return Empty();
            }

            var count = reader.ReadInt32();
            var entries = new Dictionary<string, Entry>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var (device, inode, size, modified, changed, sha256) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadBytes(32));
                var packageLength = reader.ReadByte();
                entries[name] = new Entry(device, inode, size, modified, changed, new Digests(sha256, packageLength == 0 ? null : reader.ReadBytes(packageLength)));
            }

            return new StatCache(entries);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            InfraDiffLog.CacheDiscarded(logger, path, ex.Message);
            return Empty();
        }
    }

    public Task SaveAsync(string path, string root, CancellationToken cancellationToken) =>
        CacheFile.WriteAsync(
            path,
            Magic,
            root,
            writer =>
            {
                writer.Write(entries.Count);
                foreach (var (file, entry) in entries)
                {
                    writer.Write(file);
                    writer.Write(entry.Device);
                    writer.Write(entry.Inode);
                    writer.Write(entry.Size);
                    writer.Write(entry.ModifiedNs);
                    writer.Write(entry.ChangedNs);
                    writer.Write(entry.Digests.Sha256);
                    writer.Write((byte)(entry.Digests.Package?.Length ?? 0));
                    writer.Write(entry.Digests.Package ?? []);
                }
            },
            cancellationToken);
}
