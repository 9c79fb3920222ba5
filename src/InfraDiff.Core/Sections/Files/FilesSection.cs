using System.Runtime.InteropServices;
using System.Text.Json;
using InfraDiff.Snapshots;
using static InfraDiff.Sections.Files.FileEntry;

namespace InfraDiff.Sections.Files;

/// <summary>The <c>files</c> section: what it means (nouns, summaries, default severities, content field) and how it is written.</summary>
internal sealed class FilesSection : SectionDescriptor
{
    public const string SectionName = "files";

    /// <summary>Directories whose files run as commands: a new or changed file there is someone's next command.</summary>
    private static readonly string[] CommandDirectories = ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin", "/usr/libexec", "/usr/local/libexec"];

    /// <summary>What no program reads to decide anything.</summary>
    private static readonly string[] LowFileTrees = ["/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale", "/usr/share/zoneinfo", "/usr/share/icons", "/usr/share/i18n", "/usr/share/lintian"];

    public static FilesSection Instance { get; } = new();

    private FilesSection()
        : base(SectionName)
    {
        const ChangeKind Replace = ChangeKind.Replace;
        Nouns = [new("", "file") { EcsField = "file.path" }];
        EcsCategory = "file";
        ContentField = Fields.Sha256;
        SeverityRules =
        [
            // A package's file that no longer matches its package (a package change that accounts for it makes the
            // change low before these rules are asked); a conffile edited locally is only medium.
            SeverityRule.Of("/files/*", Severity.Critical, [Replace], $"new.{Fields.Verified} == false", $"old.{Fields.Verified} == true", $"new.{Fields.Conffile} != true"),
            SeverityRule.Of("/files/*", Severity.Medium, [Replace], $"new.{Fields.Verified} == false", $"old.{Fields.Verified} == true"),

            // A new way to be root: setuid or setgid gained.
            SeverityRule.Of("/files/*", Severity.Critical, [], $"new.{Fields.Type} == {Types.File}", $"new.{Fields.Mode} & 4000", $"old.{Fields.Mode} !& 4000"),
            SeverityRule.Of("/files/*", Severity.Critical, [], $"new.{Fields.Type} == {Types.File}", $"new.{Fields.Mode} & 2000", $"old.{Fields.Mode} !& 2000"),
            SeverityRule.Of($"/files/*/{Fields.Mode}", Severity.Critical, [], "new & 4000", "old !& 4000"),
            SeverityRule.Of($"/files/*/{Fields.Mode}", Severity.Critical, [], "new & 2000", "old !& 2000"),
            SeverityRule.Of("/files/~1etc~1ld.so.preload", Severity.Critical),

            // What anyone may write, what executes, who gets in.
            SeverityRule.Of($"/files/*/{Fields.Mode}", Severity.High, [], "new & 0002"),
            SeverityRule.Of("/files/*", Severity.High, [], $"new.{Fields.Type} != {Types.Symlink}", $"new.{Fields.Mode} & 0002", $"old.{Fields.Mode} !& 0002"),
            .. CommandDirectories.Select(d => SeverityRule.Of($"/files/{JsonPointer.Escape(d)}~1*", Severity.High)),
            SeverityRule.Of("/files/~1root~1.ssh~1*", Severity.High),
            SeverityRule.Of("/files/~1etc~1ssh~1ssh_host_*", Severity.High),

            .. LowFileTrees.Select(d => SeverityRule.Of($"/files/{JsonPointer.Escape(d)}~1*", Severity.Low)),
            SeverityRule.Of("/files", Severity.Medium),
        ];
    }

    /// <summary>An entry added or changed as a whole says what it is: "file /usr/bin/x added (file 4755 root:root, 1,265,648 bytes)".</summary>
    public override string Summarize(SectionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Keys.Count == 1 && change.NewValue.ValueKind == JsonValueKind.Object)
        {
            var name = $"file {change.Keys[0]}";
            return change.Kind == ChangeKind.Replace && change.OldValue.ValueKind == JsonValueKind.Object
                ? $"{name}: {ContentChange(change.OldValue, change.NewValue)}"
                : $"{name} added ({Brief(change.NewValue)})";
        }

        return base.Summarize(change);
    }

    /// <summary>"file 4755 root:root, 1,265,648 bytes": what an added path is.</summary>
    private static string Brief(JsonElement entry)
    {
        string Field(string name) => entry.TryGetProperty(name, out var value) ? Text(value) : "?";
        var brief = $"{Field(Fields.Type)} {(entry.TryGetProperty(Fields.Mode, out _) ? Field(Fields.Mode) + " " : "")}{Field(Fields.Owner)}:{Field(Fields.Group)}";
        return Read(entry)?.Size is { } size ? $"{brief}, {size:N0} bytes" : entry.TryGetProperty(Fields.Target, out _) ? $"{brief} → {Field(Fields.Target)}" : brief;
    }

    /// <summary>"content changed, 3,223 → 5,191 bytes; mode 0755 → 4755" for an entry whose content changed.</summary>
    private static string ContentChange(JsonElement old, JsonElement @new)
    {
        var (oldSize, newSize) = (Read(old)?.Size, Read(@new)?.Size);
        var parts = new List<string>
        {
            oldSize is null || newSize is null ? "content changed"
            : oldSize == newSize ? $"content changed, same size ({newSize:N0} bytes)"
            : $"content changed, {oldSize:N0} → {newSize:N0} bytes",
        };
        foreach (var field in new[] { Fields.Mode, Fields.Owner, Fields.Group, Fields.Uid, Fields.Gid, Fields.Error })
        {
            var had = old.TryGetProperty(field, out var before);
            var has = @new.TryGetProperty(field, out var after);
            if (had != has || (had && !JsonElement.DeepEquals(before, after)))
            {
                parts.Add($"{field} {Text(before)} → {Text(after)}");
            }
        }

        return string.Join("; ", parts);
    }

    /// <summary>
    /// The section written straight to JSON in ordinal key order, once: tens of thousands of entries would cost more
    /// through reflection serialization, and the snapshot's writer copies a section written this way as it is.
    /// </summary>
    public static JsonElement Write(Dictionary<string, FileEntry> entries) =>
        SnapshotJson.WriteSection(
            writer =>
            {
                var paths = entries.Keys.ToArray();
                Array.Sort(paths, StringComparer.Ordinal);
                writer.WriteStartObject();
                foreach (var path in paths)
                {
                    writer.WritePropertyName(path);
                    entries[path].WriteTo(writer);
                }

                writer.WriteEndObject();
            },
            // About 340 bytes an entry on a real host; a buffer that has to grow holds twice what it needs.
            256 + (entries.Count * 400));

    /// <summary>
    /// <paramref name="previous"/> with <paramref name="updates"/> applied (an entry, or null for a path that is gone)
    /// and nothing kept from before beneath <paramref name="replaced"/> (folder paths ending in "/"): members that did
    /// not change are copied as their text, so the section stays byte for byte what a full scan writes.
    /// </summary>
    public static JsonElement Merge(JsonElement previous, Dictionary<string, FileEntry?> updates, IReadOnlyList<string> replaced)
    {
        var keys = updates.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var outermost = new List<string>();
        foreach (var prefix in replaced.Order(StringComparer.Ordinal))
        {
            // A folder beneath one already listed is covered by it.
            if (outermost.Count == 0 || !prefix.StartsWith(outermost[^1], StringComparison.Ordinal))
            {
                outermost.Add(prefix);
            }
        }

        var prefixes = outermost.ToArray();
        return SnapshotJson.WriteSection(
            writer =>
            {
                var next = 0;
                void WriteUpdatesBefore(string? name)
                {
                    for (; next < keys.Length && (name is null || string.CompareOrdinal(keys[next], name) <= 0); next++)
                    {
                        if (updates[keys[next]] is { } entry)
                        {
                            writer.WritePropertyName(keys[next]);
                            entry.WriteTo(writer);
                        }
                    }
                }

                writer.WriteStartObject();
                foreach (var member in previous.EnumerateObject())
                {
                    var name = member.Name;
                    WriteUpdatesBefore(name);
                    if (updates.ContainsKey(name) || IsBeneath(name, prefixes))
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(member.Value), skipInputValidation: true);
                }

                WriteUpdatesBefore(null);
                writer.WriteEndObject();
            },
            JsonMarshal.GetRawUtf8Value(previous).Length + 4096);
    }

    /// <summary>
    /// Whether a path lies beneath one of <paramref name="prefixes"/> (sorted, none beneath another): the only one it can
    /// lie beneath is the greatest that sorts before it, since everything between a prefix and a path beneath it starts
    /// with that prefix too. A storm of 20,000 written paths costs a binary search per member, not 20,000 comparisons.
    /// </summary>
    private static bool IsBeneath(string path, string[] prefixes)
    {
        var at = Array.BinarySearch(prefixes, path, StringComparer.Ordinal);
        at = at >= 0 ? at : ~at - 1;
        return at >= 0 && path.StartsWith(prefixes[at], StringComparison.Ordinal);
    }
}
