using InfraDiff.Pipeline;

namespace InfraDiff.Packaging;

/// <summary>
/// dpkg's database, read as files: each installed package's <c>info/P.list</c> (its files) and <c>info/P.md5sums</c>
/// (their MD5s), the <c>Conffiles:</c> field of <c>status</c>, and <c>diversions</c> (a file another package moved aside).
/// </summary>
internal static class DpkgDatabase
{
    private const string Directory = "/var/lib/dpkg";

    public static PackageFileIndex? Read(IHostFileSystem files)
    {
        if (files.ReadTextOrNull(Directory + "/status") is not { } status)
        {
            return null;
        }

        var diversions = ParseDiversions(files.ReadTextOrNull(Directory + "/diversions") ?? "");
        var lists = files.ListFiles(Directory + "/info").Select(Path.GetFileName).OfType<string>()
            .Where(f => f.EndsWith(".list", StringComparison.Ordinal)).Select(f => f[..^5]).ToList();
        var byName = lists.ToHashSet(StringComparer.Ordinal);
        var entries = new List<(string, PackageFile)>();
        foreach (var (name, conffiles) in ParseStatus(status))
        {
            // A Multi-Arch: same package's files are named "name:arch.list"; others "name.list".
            var stem = byName.Contains(name) ? name : lists.FirstOrDefault(f => f.StartsWith(name + ":", StringComparison.Ordinal));
            if (stem is null)
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

    /// <summary>Installed packages ("install ok installed" and the half-configured states that still own files) with their conffiles and MD5s.</summary>
    internal static IEnumerable<(string Name, Dictionary<string, string?> Conffiles)> ParseStatus(string text)
    {
        foreach (var stanza in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var installed = false;
            var conffiles = new Dictionary<string, string?>(StringComparer.Ordinal);
            var inConffiles = false;
            foreach (var line in stanza.Split('\n'))
            {
                if (line.StartsWith(' ') && inConffiles)
                {
                    // " /etc/x 0123…abcd [obsolete|remove-on-upgrade]": an obsolete conffile is no longer the package's.
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length == 2 || (fields.Length == 3 && fields[2] != "obsolete"))
                    {
                        conffiles[fields[0]] = fields[1] == "newconffile" ? null : fields[1];
                    }

                    continue;
                }

                inConffiles = line.StartsWith("Conffiles:", StringComparison.Ordinal);
                if (line.StartsWith("Package: ", StringComparison.Ordinal))
                {
                    name = line[9..].Trim();
                }
                else if (line.StartsWith("Status: ", StringComparison.Ordinal))
                {
                    installed = line.EndsWith(" installed", StringComparison.Ordinal) || line.EndsWith(" half-configured", StringComparison.Ordinal) || line.EndsWith(" unpacked", StringComparison.Ordinal);
                }
            }

            if (name is not null && installed)
            {
                yield return (name, conffiles);
            }
        }
    }

    /// <summary>A .list file: one absolute path a line, directories included; "/." stands for the root.</summary>
    internal static IEnumerable<string> ParseList(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.StartsWith('/') && p != "/.");

    /// <summary>A .md5sums file: "hex  relative/path" a line.</summary>
    internal static Dictionary<string, string> ParseMd5sums(string text)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space == 32 && line.Length > 34)
            {
                digests["/" + line[34..].TrimEnd('\r')] = line[..32].ToLowerInvariant();
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
