using System.Buffers;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Collectors.Files;

/// <summary>The <c>files</c> section as JSON.</summary>
internal static class FilesSection
{
    /// <summary>
    /// The section written straight to JSON in ordinal key order: tens of thousands of entries would cost more
    /// through reflection serialization, and the canonical writer passes an ordered object through unsorted.
    /// </summary>
    public static JsonElement Write(Dictionary<string, FileEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (entries.Count * 200));
        using (var writer = new Utf8JsonWriter(buffer, SnapshotJson.CompactWriter))
        {
            writer.WriteStartObject();
            foreach (var (path, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(path);
                entry.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        // Parsed in place, not copied: the document lives as long as the snapshot that holds its root.
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }
}
