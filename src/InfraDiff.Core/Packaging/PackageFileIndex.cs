using InfraDiff.Host;

namespace InfraDiff.Packaging;

/// <summary>
/// Which package owns each file and the digest it shipped with, keyed by the path the file really has on disk: a
/// database that lists "/bin/ls" on a merged-/usr host is keyed "/usr/bin/ls", where the files section records it.
/// </summary>
internal sealed class PackageFileIndex
{
    private readonly Dictionary<string, PackageFile> files;

    public PackageFileIndex(string source, DigestAlgorithm algorithm, Dictionary<string, PackageFile> files)
    {
        Source = source;
        Algorithm = algorithm;
        this.files = files;
    }

    /// <summary>An index that owns nothing: a host without a package database.</summary>
    public static PackageFileIndex None { get; } = new("none", DigestAlgorithm.Sha256, new Dictionary<string, PackageFile>(StringComparer.Ordinal));

    /// <summary>"dpkg", "rpm", "apk" or "none".</summary>
    public string Source { get; }

    public DigestAlgorithm Algorithm { get; }

    public int Count => files.Count;

    public PackageFile? Owner(string hostPath) => files.GetValueOrDefault(hostPath);

    /// <summary>Every file the index knows, keyed by where it is on disk.</summary>
    public IReadOnlyDictionary<string, PackageFile> Files => files;

    /// <summary>
    /// Re-keys database paths by where they are on disk, so "/bin/ls" becomes "/usr/bin/ls" when /bin links to
    /// usr/bin. A directory is real unless lstat says it is a link (one call each, parents first); only links are
    /// resolved, inside the root. A later entry for the same real path wins.
    /// </summary>
    public static Dictionary<string, PackageFile> OnDisk(IHostFileSystem files, IEnumerable<(string Path, PackageFile File)> entries)
    {
        var directories = new Dictionary<string, string?>(StringComparer.Ordinal) { ["/"] = "/" };
        var known = directories.GetAlternateLookup<ReadOnlySpan<char>>();
        var result = new Dictionary<string, PackageFile>(entries.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.Ordinal);
        foreach (var (path, file) in entries)
        {
            var slash = path.LastIndexOf('/');
            if (slash < 0)
            {
                continue;
            }

            var directory = slash == 0 ? "/" : path.AsSpan(0, slash);
            if (!known.TryGetValue(directory, out var real))
            {
                real = RealDirectory(files, directories, directory.ToString());
            }

            if (real is not null)
            {
                // A path whose directory is where the database says is its own key: no new string.
                result[real.AsSpan().SequenceEqual(directory) ? path : (real == "/" ? "" : real) + path[slash..]] = file;
            }
        }

        return result;
    }

    /// <summary>The host path a directory really has (links resolved inside the root), or null when there is none.</summary>
    private static string? RealDirectory(IHostFileSystem files, Dictionary<string, string?> known, string directory)
    {
        if (known.TryGetValue(directory, out var real))
        {
            return real;
        }

        var slash = directory.LastIndexOf('/');
        var parent = RealDirectory(files, known, slash == 0 ? "/" : directory[..slash]);
        if (parent is not null)
        {
            var candidate = (parent == "/" ? "" : parent) + directory[slash..];
            var isLink = LinuxFile.TryLStat(files.MapPath(candidate), out var status, out _) ? (status.Mode & LinuxFile.TypeMask) == LinuxFile.TypeSymlink : (bool?)null;
            real = isLink switch
            {
                false when (status.Mode & LinuxFile.TypeMask) == LinuxFile.TypeDirectory => candidate,
                true => files.ResolveDirectory(candidate) is { } resolved ? (files.Root == "/" ? resolved : resolved[files.Root.Length..] is { Length: > 0 } inside ? inside : "/") : null,
                _ => null,
            };
        }

        known[directory] = real;
        return real;
    }
}
