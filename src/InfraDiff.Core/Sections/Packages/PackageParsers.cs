namespace InfraDiff.Sections.Packages;

/// <summary>One installed package; <see cref="State"/> only when it is not fully installed.</summary>
internal sealed record InstalledPackage(string Name, string Version, string Architecture, string? State = null);

/// <summary>Pure parsers for the three package databases infradiff reads.</summary>
internal static class PackageParsers
{
    /// <summary>
    /// Parses dpkg's status file (/var/lib/dpkg/status): RFC 822-style stanzas. Packages removed with their
    /// configuration left behind ("config-files") or not installed are not installed and are skipped.
    /// </summary>
    public static IEnumerable<InstalledPackage> ParseDpkgStatus(string text)
    {
        foreach (var stanza in Stanzas(text, ':'))
        {
            var name = stanza.GetValueOrDefault("Package");
            var status = stanza.GetValueOrDefault("Status")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (name is null || status is not { Length: 3 } || status[2] is "not-installed" or "config-files")
            {
                continue;
            }

            var architecture = stanza.GetValueOrDefault("Architecture") ?? "";
            // dpkg names a Multi-Arch: same package with its architecture, as dpkg -l and dpkg-query ${binary:Package} do.
            var key = stanza.GetValueOrDefault("Multi-Arch") == "same" && architecture is not ("all" or "") ? $"{name}:{architecture}" : name;
            yield return new InstalledPackage(key, stanza.GetValueOrDefault("Version") ?? "", architecture, status[2] == "installed" ? null : status[2]);
        }
    }

    /// <summary>Parses apk's installed database (/lib/apk/db/installed): stanzas of one-letter fields (P name, V version, A arch).</summary>
    public static IEnumerable<InstalledPackage> ParseApkInstalled(string text)
    {
        foreach (var stanza in Stanzas(text, ':'))
        {
            if (stanza.GetValueOrDefault("P") is { } name)
            {
                yield return new InstalledPackage(name, stanza.GetValueOrDefault("V") ?? "", stanza.GetValueOrDefault("A") ?? "");
            }
        }
    }

    /// <summary>The query format <see cref="ParseRpmQuery"/> reads: name, epoch:version-release, arch, tab-separated.</summary>
    public const string RpmQueryFormat = "%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n";

    /// <summary>Parses <c>rpm -qa --qf RpmQueryFormat</c>; a zero epoch is dropped, as rpm itself prints versions.</summary>
    public static IEnumerable<InstalledPackage> ParseRpmQuery(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length != 3 || fields[0].Length == 0)
            {
                continue;
            }

            var version = fields[1].StartsWith("0:", StringComparison.Ordinal) ? fields[1][2..] : fields[1];
            yield return new InstalledPackage(fields[0], version, fields[2] == "(none)" ? "" : fields[2]);
        }
    }

    /// <summary>
    /// Keys packages by name; where one name is installed more than once (rpm's install-only kernels,
    /// several architectures) each copy is keyed name-version.arch, so no copy hides another.
    /// </summary>
    public static SortedDictionary<string, PackageEntry> KeyByName(IEnumerable<InstalledPackage> packages)
    {
        var result = new SortedDictionary<string, PackageEntry>(StringComparer.Ordinal);
        foreach (var group in packages.GroupBy(p => p.Name, StringComparer.Ordinal))
        {
            var copies = group.ToList();
            foreach (var p in copies)
            {
                var key = copies.Count == 1 ? p.Name : $"{p.Name}-{p.Version}.{p.Architecture}";
                result[key] = new PackageEntry(p.Version, p.Architecture, p.State);
            }
        }

        return result;
    }

    private static IEnumerable<Dictionary<string, string>> Stanzas(string text, char separator)
    {
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                if (current.Count > 0)
                {
                    yield return current;
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                continue;
            }

            // Continuation lines (leading space) belong to multi-line fields such as Description: not needed.
            if (line[0] is ' ' or '\t')
            {
                continue;
            }

            var colon = line.IndexOf(separator, StringComparison.Ordinal);
            if (colon > 0)
            {
                current[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}

/// <summary>A package as it appears in the <c>packages</c> section.</summary>
internal sealed record PackageEntry(string Version, string Architecture, string? State);
