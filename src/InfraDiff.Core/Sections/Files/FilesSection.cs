using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Sections.Files;

/// <summary>The <c>files</c> section as JSON.</summary>
internal static class FilesSection
{
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
}
