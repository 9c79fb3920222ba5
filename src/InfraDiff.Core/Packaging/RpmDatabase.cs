using InfraDiff.Host;

namespace InfraDiff.Packaging;

/// <summary>
/// rpm's database, asked through rpm itself (<c>rpm -qa --root R --queryformat</c>): one line per file with its
/// package, path, digest, the package's digest algorithm and the file's flags (%config is bit 1).
/// </summary>
internal static class RpmDatabase
{
    /// <summary>One line per file: name, path, digest, algorithm (1 MD5, 2 SHA-1, 8 SHA-256), flags.</summary>
    public const string QueryFormat = "[%{=NAME}\\t%{FILENAMES}\\t%{FILEDIGESTS}\\t%{=FILEDIGESTALGO}\\t%{FILEFLAGS}\\n]";

    /// <summary>
    /// Where the host's rpm database is (rpm 4.16 and later: /usr/lib/sysimage/rpm; before: /var/lib/rpm), named to rpm
    /// explicitly: an rpm built for another system (Debian's) looks elsewhere by default.
    /// </summary>
    public static string? Find(IHostFileSystem files) =>
        new[] { "/usr/lib/sysimage/rpm", "/var/lib/rpm" }.FirstOrDefault(d => files.DirectoryExists(d) && files.ListFiles(d).Count > 0);

    public static (DigestAlgorithm Algorithm, List<(string Path, PackageFile File)> Files) Parse(string text)
    {
        var files = new List<(string, PackageFile)>();
        var algorithms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length != 5 || !fields[1].StartsWith('/'))
            {
                throw new FormatException($"not rpm file query output: {Excerpt.Cut(line)}");
            }

            algorithms.Add(fields[3]);
            var flags = int.TryParse(fields[4], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
            files.Add((fields[1], new PackageFile(fields[0], fields[2].Length == 0 ? null : fields[2].ToLowerInvariant(), (flags & 1) != 0)));
        }

        // One database, one algorithm: rpm 4.6 and later write SHA-256 for every package they build.
        var algorithm = algorithms.Contains("1") && !algorithms.Contains("8") ? DigestAlgorithm.Md5 : DigestAlgorithm.Sha256;
        var length = algorithm == DigestAlgorithm.Md5 ? 32 : 64;

        // A digest of another algorithm (an old package in a newer database) cannot be checked: recorded as none.
        return (algorithm, files.Select(f => f.Item2.Digest is { } d && d.Length != length ? (f.Item1, f.Item2 with { Digest = null }) : f).ToList());
    }
}
