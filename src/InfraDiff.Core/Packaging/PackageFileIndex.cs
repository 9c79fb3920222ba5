using InfraDiff.Collection;

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

    /// <summary>
    /// Re-keys database paths by where they are on disk: each directory is resolved inside the root once, so
    /// "/bin/ls" becomes "/usr/bin/ls" when /bin links to usr/bin. A later entry for the same real path wins.
    /// </summary>
    public static Dictionary<string, PackageFile> OnDisk(IHostFileSystem files, IEnumerable<(string Path, PackageFile File)> entries)
    {
        var directories = new Dictionary<string, string?>(StringComparer.Ordinal);
        var result = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        var root = files.Root == "/" ? "" : files.Root;
        foreach (var (path, file) in entries)
        {
            var slash = path.LastIndexOf('/');
            if (slash < 0)
            {
                continue;
            }

            var directory = slash == 0 ? "/" : path[..slash];
            if (!directories.TryGetValue(directory, out var real))
            {
                var resolved = files.ResolveDirectory(directory);
                real = resolved?[root.Length..];
                directories[directory] = real is "" ? "/" : real;
                real = directories[directory];
            }

            if (real is not null)
            {
                result[(real == "/" ? "" : real) + path[slash..]] = file;
            }
        }

        return result;
    }
}
