using System.Text.Json;
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
    private readonly Dictionary<string, string> changedPackages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> versions = new(StringComparer.Ordinal);
    private readonly FileEntries entries;

    public PackageExplainer(Snapshot before, Snapshot after, FileEntries entries)
    {
        this.entries = entries;
        if (!before.Sections.TryGetValue("packages", out var old) || !after.Sections.TryGetValue("packages", out var @new)
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
                versions[name] = b!;
            }

            if (had && has && a != b)
            {
                changedPackages[name] = $"package {name} {a} → {b}";
            }
            else if (has && !had)
            {
                changedPackages[name] = $"package {name} {b} installed";
            }
            else if (had && !has)
            {
                changedPackages[name] = $"package {name} {a} removed";
            }
        }
    }

    /// <summary>What explains a change to the files section, or null.</summary>
    public string? Explain(JsonChange change)
    {
        if (!TryEntry(change.Path, out var key))
        {
            return null;
        }

        var old = Entry(entries.Before(key));
        var @new = Entry(entries.After(key));
        foreach (var package in new[] { Package(@new), Package(old) }.OfType<string>().Distinct())
        {
            if (changedPackages.TryGetValue(package, out var why) && (@new.ValueKind == JsonValueKind.Undefined || !IsFalse(@new, "verified")))
            {
                return why;
            }
        }

        return null;
    }

    /// <summary>"file /usr/bin/ls no longer matches package coreutils 9.1-1" for a package file that stopped verifying, else null.</summary>
    public string? Mismatch(JsonChange change)
    {
        if (change.Kind != ChangeKind.Replace || !TryEntry(change.Path, out var key) || change.Path.Count(c => c == '/') != 2)
        {
            return null;
        }

        var @new = Entry(entries.After(key));
        if (!IsFalse(@new, "verified") || IsFalse(Entry(entries.Before(key)), "verified") || Package(@new) is not { } package)
        {
            return null;
        }

        var version = versions.TryGetValue(package, out var v) ? " " + v : "";
        return @new.TryGetProperty("conffile", out var conffile) && conffile.ValueKind == JsonValueKind.True
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
        var below = changes.Where(c => c.Category == "files").Select(c => c.Path).Order(StringComparer.Ordinal).ToList();
        var byPath = changes.Where(c => c.Category == "files").GroupBy(c => c.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var directories = changes
            .Where(c => c.Category == "files" && c.ExplainedBy is null && c.Kind != ChangeKind.Replace && IsDirectory(c.Kind == ChangeKind.Add ? c.NewValue : c.OldValue))
            .OrderByDescending(c => c.Path.Length);
        var explained = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            // Entries below /files/~1usr~1share~1doc~1x are /files/~1usr~1share~1doc~1x~1…: a "/" in a key is "~1".
            var prefix = directory.Path + "~1";
            var start = below.BinarySearch(prefix, StringComparer.Ordinal);
            start = start < 0 ? ~start : start;
            var packages = new HashSet<string?>(StringComparer.Ordinal);
            for (var i = start; i < below.Count && below[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            {
                packages.Add(explained.GetValueOrDefault(below[i]) ?? byPath[below[i]].ExplainedBy);
            }

            if (packages.Count == 1 && packages.Single() is { } package)
            {
                explained[directory.Path] = package;
            }
        }

        return explained.Count == 0 ? changes
            : [.. changes.Select(c => c.Category == "files" && explained.TryGetValue(c.Path, out var package) ? c with { ExplainedBy = package, Severity = Severity.Low } : c)];
    }

    /// <summary>Whether a files entry is a folder.</summary>
    internal static bool IsDirectory(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "dir";

    /// <summary>Package name → version; a key "name:arch" (dpkg Multi-Arch: same) counts under its name.</summary>
    private static Dictionary<string, string> Versions(JsonElement packages)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in packages.EnumerateObject())
        {
            if (package.Value.ValueKind == JsonValueKind.Object && package.Value.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String)
            {
                result[package.Name.Split(':')[0]] = version.GetString()!;
            }
        }

        return result;
    }

    private static bool TryEntry(string path, out string key)
    {
        key = FileEntries.KeyOf(path) ?? "";
        return key.Length > 0;
    }

    private static JsonElement Entry(JsonElement entry) => entry.ValueKind == JsonValueKind.Object ? entry : default;

    private static string? Package(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("package", out var package) && package.ValueKind == JsonValueKind.String ? package.GetString() : null;

    private static bool IsFalse(JsonElement entry, string field) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.False;
}
