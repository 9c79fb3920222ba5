using InfraDiff.Host;

namespace InfraDiff.Packaging;

/// <summary>
/// dpkg's database, read as files: each installed package's <c>info/P.list</c> (its files) and <c>info/P.md5sums</c>
/// (their MD5s), the <c>Conffiles:</c> field of <c>status</c>, and <c>diversions</c> (a file another package moved aside).
/// </summary>
internal static class DpkgDatabase
{
    private const string Directory = "/var/lib/dpkg";

    /// <summary>What the database is: dpkg renames a new one of these into place whenever it changes anything.</summary>
    public static IReadOnlyList<string> Files { get; } = [Directory + "/status", Directory + "/diversions", Directory + "/info"];

    public static PackageFileIndex? Read(IHostFileSystem files)
    {
        if (files.ReadTextOrNull(Directory + "/status") is not { } status)
        {
            return null;
        }

        var diversions = ParseDiversions(files.ReadTextOrNull(Directory + "/diversions") ?? "");
        // A Multi-Arch: same package's files are named "name:arch.list"; others "name.list". The first listed wins.
        var stems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.ListFiles(Directory + "/info").Select(Path.GetFileName).OfType<string>().Where(f => f.EndsWith(".list", StringComparison.Ordinal)))
        {
            var stem = file[..^5];
            stems[stem] = stem;
            if (stem.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                stems.TryAdd(stem[..colon] + ":", stem);
            }
        }

        var entries = new List<(string, PackageFile)>();
        foreach (var (name, conffiles) in ParseStatus(status))
        {
            if (!stems.TryGetValue(name, out var stem) && !stems.TryGetValue(name + ":", out stem))
            {
                continue;
            }

            var digests = ParseMd5sums(files.ReadTextOrNull($"{Directory}/info/{stem}.md5sums") ?? "");
            foreach (var path in ParseList(files.ReadTextOrNull($"{Directory}/info/{stem}.list") ?? ""))
            {
                var onDisk = diversions.TryGetValue(path, out var diversion) && diversion.Package != name ? diversion.To : path;
                var conffile = conffiles.TryGetValue(path, out var conffileDigest);
                var digest = conffile ? conffileDigest : digests.GetValueOrDefault(path);
                entries.Add((onDisk, new PackageFile(name, digest, conffile)));
            }
        }

        return new PackageFileIndex("dpkg", DigestAlgorithm.Md5, PackageFileIndex.OnDisk(files, entries));
    }

    /// <summary>
    /// Installed packages ("install ok installed" and the half-configured states that still own files) with their
    /// conffiles and MD5s. Read line by line (split at '\n' only, as dpkg writes) without copying the file: only
    /// names and conffiles become strings.
    /// </summary>
    internal static List<(string Name, Dictionary<string, string?> Conffiles)> ParseStatus(string text)
    {
        var packages = new List<(string, Dictionary<string, string?>)>();
        string? name = null;
        var installed = false;
        var conffiles = new Dictionary<string, string?>(StringComparer.Ordinal);
        var inConffiles = false;
        Span<Range> fields = stackalloc Range[4];
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range];
            if (line.IsEmpty)
            {
                // A blank line ends a stanza.
                if (name is not null && installed)
                {
                    packages.Add((name, conffiles));
                    conffiles = new Dictionary<string, string?>(StringComparer.Ordinal);
                }

                (name, installed, inConffiles) = (null, false, false);
                conffiles.Clear();
                continue;
            }

            if (line[0] == ' ' && inConffiles)
            {
                // " /etc/x 0123…abcd [obsolete|remove-on-upgrade]": an obsolete conffile is no longer the package's.
                var count = line.Split(fields, ' ', StringSplitOptions.RemoveEmptyEntries);
                if (count == 2 || (count == 3 && !line[fields[2]].SequenceEqual("obsolete")))
                {
                    conffiles[line[fields[0]].ToString()] = line[fields[1]].SequenceEqual("newconffile") ? null : line[fields[1]].ToString();
                }

                continue;
            }

            inConffiles = line.StartsWith("Conffiles:", StringComparison.Ordinal);
            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                name = line[9..].Trim().ToString();
            }
            else if (line.StartsWith("Status: ", StringComparison.Ordinal))
            {
                installed = line.EndsWith(" installed", StringComparison.Ordinal) || line.EndsWith(" half-configured", StringComparison.Ordinal) || line.EndsWith(" unpacked", StringComparison.Ordinal);
            }
        }

        if (name is not null && installed)
        {
            packages.Add((name, conffiles));
        }

        return packages;
    }

    /// <summary>A .list file: one absolute path a line, directories included; "/." stands for the root.</summary>
    internal static List<string> ParseList(string text)
    {
        var paths = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range];
            var path = line.Trim();
            if (path.StartsWith('/') && !path.SequenceEqual("/."))
            {
                paths.Add(path.ToString());
            }
        }

        return paths;
    }

    /// <summary>A .md5sums file: "hex  relative/path" a line.</summary>
    internal static Dictionary<string, string> ParseMd5sums(string text)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range];
            if (line.Length > 34 && line.IndexOf(' ') == 32)
            {
                var hex = line[..32];
                digests[string.Concat("/", line[34..].TrimEnd('\r'))] = hex.ContainsAnyInRange('A', 'Z') ? hex.ToString().ToLowerInvariant() : hex.ToString();
            }
        }

        return digests;
    }

    /// <summary>The diversions file: triples of lines "from", "to", "package" (":" for a local diversion).</summary>
    internal static Dictionary<string, (string To, string Package)> ParseDiversions(string text)
    {
        var lines = text.Split('\n');
        var diversions = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var i = 0; i + 2 < lines.Length; i += 3)
        {
            diversions[lines[i]] = (lines[i + 1], lines[i + 2]);
        }

        return diversions;
    }
}
