using System.Text.Json;
using InfraDiff.Sections.Files;
using InfraDiff.Sections.Packages;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>
/// Traces file changes to the package database. A change to a file is explained when its package was upgraded,
/// downgraded, installed or removed in the same diff and the file still verifies against it (or came or went with
/// the package); it is then low, and says which package. A package file that stops matching its package with no
/// change to the package is the opposite: the line says so, and the severity rules make it critical.
/// </summary>
internal sealed class PackageExplainer
{
    private const string Files = FilesSection.SectionName;
    private const string FilesPath = "/" + Files + "/";

    private readonly Dictionary<string, (string Why, string Path)> changedPackages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> versions = new(StringComparer.Ordinal);
    private readonly SectionEntries entries;

    public PackageExplainer(Snapshot before, Snapshot after, SectionEntries entries)
    {
        this.entries = entries;
        if (!before.Sections.TryGetValue(PackagesSection.SectionName, out var old) || !after.Sections.TryGetValue(PackagesSection.SectionName, out var @new)
            || old.ValueKind != JsonValueKind.Object || @new.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var oldVersions = Versions(old);
        var newVersions = Versions(@new);
        foreach (var name in oldVersions.Keys.Union(newVersions.Keys))
        {
            var had = oldVersions.TryGetValue(name, out var a);
            var has = newVersions.TryGetValue(name, out var b);
            if (has)
            {
                versions[name] = b.Version;
            }

            if (had && has && a.Version != b.Version)
            {
                changedPackages[name] = ($"package {name} {a.Version} → {b.Version}", b.Path);
            }
            else if (has && !had)
            {
                changedPackages[name] = ($"package {name} {b.Version} installed", b.Path);
            }
            else if (had && !has)
            {
                changedPackages[name] = ($"package {name} {a.Version} removed", a.Path);
            }
        }
    }

    /// <summary>The files entries the changes touch: what an explanation reads whole.</summary>
    public static IEnumerable<string> Entries(IEnumerable<JsonChange> changes) =>
        changes.Where(c => c.Path.StartsWith(FilesPath, StringComparison.Ordinal)).Select(c => SectionEntries.OwnKeyOf(c.Path)).OfType<string>();

    /// <summary>What explains a change to the files section ("package coreutils 9.1-1 → 9.1-2") and the path of the package change that does, or null.</summary>
    public (string Why, string PackagePath)? Explain(JsonChange change)
    {
        if (!TryEntry(change.Path, out var entry, out _))
        {
            return null;
        }

        var old = FileEntry.Read(entries.Before(entry));
        var @new = FileEntry.Read(entries.After(entry));
        foreach (var package in new[] { @new?.Package, old?.Package }.OfType<string>().Distinct())
        {
            if (changedPackages.TryGetValue(package, out var why) && (@new is null || @new.Verified != false))
            {
                return why;
            }
        }

        return null;
    }

    /// <summary>"file /usr/bin/ls no longer matches package coreutils 9.1-1" for a package file that stopped verifying, else null.</summary>
    public string? Mismatch(JsonChange change)
    {
        if (change.Kind != ChangeKind.Replace || !TryEntry(change.Path, out var entry, out var key) || entry != change.Path)
        {
            return null;
        }

        var @new = FileEntry.Read(entries.After(entry));
        if (@new is not { Verified: false, Package: { } package } || FileEntry.Read(entries.Before(entry))?.Verified == false)
        {
            return null;
        }

        var version = versions.TryGetValue(package, out var v) ? " " + v : "";
        return @new.Conffile == true
            ? $"conffile {key} modified locally (package {package}{version})"
            : $"file {key} no longer matches package {package}{version}";
    }

    /// <summary>
    /// A directory that came or went together with files one package change explains is explained by it too (package
    /// databases list directories, but many packages share them, so no directory has an owner of its own): every
    /// change below it must be explained by that same package. Deepest first, so a package's nested folders follow.
    /// </summary>
    public static List<DriftChange> ExplainDirectories(List<DriftChange> changes)
    {
        var below = changes.Where(c => c.Category == Files).Select(c => c.Path).Order(StringComparer.Ordinal).ToList();
        var byPath = changes.Where(c => c.Category == Files).GroupBy(c => c.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var directories = changes
            .Where(c => c.Category == Files && c.ExplainedBy is null && c.Kind != ChangeKind.Replace && IsDirectory(c.Kind == ChangeKind.Add ? c.NewValue : c.OldValue))
            .OrderByDescending(c => c.Path.Length);
        var explained = new Dictionary<string, DriftChange>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            // Entries below /files/~1usr~1share~1doc~1x are /files/~1usr~1share~1doc~1x~1…: a "/" in a key is "~1".
            var prefix = directory.Path + "~1";
            var start = below.BinarySearch(prefix, StringComparer.Ordinal);
            start = start < 0 ? ~start : start;
            var packages = new HashSet<string?>(StringComparer.Ordinal);
            DriftChange? explainer = null;
            for (var i = start; i < below.Count && below[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            {
                var change = explained.GetValueOrDefault(below[i]) ?? byPath[below[i]];
                packages.Add(change.ExplainedBy);
                explainer = change;
            }

            if (packages.Count == 1 && packages.Single() is not null)
            {
                explained[directory.Path] = explainer!;
            }
        }

        return explained.Count == 0 ? changes
            : [.. changes.Select(c => c.Category == Files && explained.TryGetValue(c.Path, out var by) ? c with { ExplainedBy = by.ExplainedBy, ExplainedByPath = by.ExplainedByPath, Severity = Severity.Low } : c)];
    }

    /// <summary>Whether a files entry is a folder.</summary>
    internal static bool IsDirectory(JsonElement entry) => FileEntry.Read(entry)?.IsDirectory == true;

    /// <summary>Package name → version and the package's path; a key "name:arch" (dpkg Multi-Arch: same) counts under its name.</summary>
    private static Dictionary<string, (string Version, string Path)> Versions(JsonElement packages)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var package in packages.EnumerateObject())
        {
            if (package.Value.ValueKind == JsonValueKind.Object && package.Value.TryGetProperty(PackagesSection.VersionField, out var version) && version.ValueKind == JsonValueKind.String)
            {
                result[package.Name.Split(':')[0]] = (version.GetString()!, JsonPointer.Append("/" + PackagesSection.SectionName, package.Name));
            }
        }

        return result;
    }

    /// <summary>For a change in the files section: its entry's path ("/files/~1etc~1x") and the file's path ("/etc/x").</summary>
    private static bool TryEntry(string path, out string entry, out string key)
    {
        entry = key = "";
        if (!path.StartsWith(FilesPath, StringComparison.Ordinal) || SectionEntries.OwnKeyOf(path) is not { } own)
        {
            return false;
        }

        entry = own;
        key = JsonPointer.Parse(own)[1];
        return key.Length > 0;
    }
}
