using InfraDiff.Host;
using InfraDiff.Packaging;

namespace InfraDiff.Sections.Files;

/// <summary>
/// dpkg's file index as the last scan read it, reused while the database has not changed. dpkg writes its status
/// file, its diversions and each package's lists and digests by renaming new files into place, so installing,
/// removing or upgrading a package changes the stat fields (inode, size, mtime, ctime) of status, diversions or the
/// info folder; "/" and "/usr" change when a directory there is made a symlink or back, which moves where files are
/// keyed. Any of them changed and the database is read again. Reading it costs a few hundred milliseconds a scan on a
/// desktop-sized host; the cache a fifth of that.
/// </summary>
/// <remarks>
/// A digest edited in place inside dpkg's info folder is not seen until dpkg next changes state: the index keeps the
/// digest dpkg installed, so a file changed to match an edited digest still fails verification.
/// </remarks>
internal static class PackageIndexCache
{
    private const string Magic = "INFRADIFF-PACKAGES 1";

    private static readonly string[] Watched = [.. DpkgDatabase.Files, "/", "/usr"];

    /// <summary>The host's package index: from the cache when dpkg's database is as it was, else read and cached.</summary>
    /// <exception cref="InfraDiffException">The database exists but could not be read.</exception>
    public static async Task<PackageFileIndex> LoadAsync(CollectionContext context, string cacheDirectory, CancellationToken cancellationToken)
    {
        var root = context.Files.Root;
        var path = CacheFile.PathFor(cacheDirectory, "packages", root);
        // Taken before the database is read: a package installed meanwhile makes the next scan read it again.
        var state = StateOf(context.Files);
        if (Read(path, root, state, context) is { } cached)
        {
            return cached;
        }

        var index = await PackageDatabases.LoadAsync(context, cancellationToken).ConfigureAwait(false);
        if (index.Source == "dpkg")
        {
            try
            {
                await WriteAsync(path, root, state, index, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                InfraDiffLog.CacheNotWritten(context.Logger, path, ex.Message);
            }
        }

        return index;
    }

    /// <summary>The stat fields of what dpkg changes when it changes anything; "-" for a path that is not there.</summary>
    private static string StateOf(IHostFileSystem files) => string.Join(';', Watched.Select(watched =>
        LinuxFile.TryLStat(files.MapPath(watched), out var b, out _)
            ? $"{b.DevMajor}:{b.DevMinor}:{b.Inode}:{b.Mode}:{b.Size}:{b.MTimeSeconds}.{b.MTimeNanoseconds}:{b.CTimeSeconds}.{b.CTimeNanoseconds}"
            : "-"));

    private static PackageFileIndex? Read(string path, string root, string state, CollectionContext context)
    {
        try
        {
            using var reader = CacheFile.Open(path, Magic, root);
            if (reader is null)
            {
                return null;
            }

            if (reader.ReadString() != state)
            {
                return null;
            }

            var packages = new string[reader.ReadInt32()];
            for (var i = 0; i < packages.Length; i++)
            {
                packages[i] = reader.ReadString();
            }

            var count = reader.ReadInt32();
            var files = new Dictionary<string, PackageFile>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var file = reader.ReadString();
                var package = packages[reader.ReadInt32()];
                var digest = reader.ReadBoolean() ? reader.ReadString() : null;
                files[file] = new PackageFile(package, digest, reader.ReadBoolean());
            }

            return new PackageFileIndex("dpkg", DigestAlgorithm.Md5, files);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or IndexOutOfRangeException)
        {
            InfraDiffLog.PackageCacheDiscarded(context.Logger, path, ex.Message);
            return null;
        }
    }

    private static Task WriteAsync(string path, string root, string state, PackageFileIndex index, CancellationToken cancellationToken) =>
        CacheFile.WriteAsync(
            path,
            Magic,
            root,
            writer =>
            {
                writer.Write(state);
                var packages = index.Files.Values.Select(f => f.Package).Distinct(StringComparer.Ordinal).ToList();
                var numbers = packages.Select((name, number) => (name, number)).ToDictionary(p => p.name, p => p.number, StringComparer.Ordinal);
                writer.Write(packages.Count);
                packages.ForEach(writer.Write);
                writer.Write(index.Files.Count);
                foreach (var (file, owner) in index.Files)
                {
                    writer.Write(file);
                    writer.Write(numbers[owner.Package]);
                    writer.Write(owner.Digest is not null);
                    if (owner.Digest is not null)
                    {
                        writer.Write(owner.Digest);
                    }

                    writer.Write(owner.Conffile);
                }
            },
            cancellationToken);
}
