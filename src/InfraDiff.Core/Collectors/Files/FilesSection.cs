using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Collectors.Files;

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
                writer.WriteStartObject();
                foreach (var (path, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(path);
                    entry.WriteTo(writer);
                }

                writer.WriteEndObject();
            },
            256 + (entries.Count * 320));
}
