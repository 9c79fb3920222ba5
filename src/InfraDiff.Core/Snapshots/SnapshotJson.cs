using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InfraDiff.Snapshots;

/// <summary>
/// The one place that turns models into canonical JSON: camelCase properties, dictionary keys as they are,
/// nulls left out, object keys sorted ordinally at every level, so an unchanged host gives identical bytes.
/// </summary>
public static class SnapshotJson
{
    /// <summary>The serializer options for every model that goes into a snapshot or a report.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = HostJsonEncoder.Relaxed,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimestampConverter() },
    };

    private static readonly JsonWriterOptions IndentedWriter = new()
    {
        Indented = true,
        Encoder = HostJsonEncoder.Relaxed,
    };

    /// <summary>Compact output with the snapshot's escaping, for code that writes JSON of its own.</summary>
    internal static readonly JsonWriterOptions CompactWriter = new() { Encoder = HostJsonEncoder.Relaxed };

    /// <summary>Serializes any model to a JSON element (not yet canonical); an element is returned as it is.</summary>
    public static JsonElement ToElement<T>(T value) => value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, Options);

    /// <summary>Writes <paramref name="element"/> with object keys sorted ordinally at every level.</summary>
    public static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // An object already in order (a collector that writes its own section sorted) keeps its raw names:
                // none is decoded or sorted.
                var inOrder = IsInOrdinalOrder(element);
                IEnumerable<JsonProperty> properties = inOrder ? element.EnumerateObject() : element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal);
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    if (inOrder)
                    {
                        writer.WritePropertyName(JsonMarshal.GetRawUtf8PropertyName(property));
                    }
                    else
                    {
                        writer.WritePropertyName(property.Name);
                    }

                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// Whether the object's names are already in ordinal (UTF-16) order, judged on their raw UTF-8 bytes. Byte order
    /// is code point order, which matches UTF-16 order only below U+E000, and raw names may hold escapes: a name with
    /// a backslash or a byte from 0xEE up is not judged here, and the object takes the sorting path.
    /// </summary>
    private static bool IsInOrdinalOrder(JsonElement element)
    {
        ReadOnlySpan<byte> previous = default;
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (name.IndexOfAnyInRange((byte)0xEE, (byte)0xFF) >= 0 || name.Contains((byte)'\\') || previous.SequenceCompareTo(name) > 0)
            {
                return false;
            }

            previous = name;
        }

        return true;
    }

    /// <summary>The canonical UTF-8 bytes of an element, indented for people or compact for machines.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type: no call can bind to both.")]
    public static byte[] ToCanonicalBytes(JsonElement element, bool indented = true) =>
        Write(indented, 256, writer => WriteCanonical(writer, element)).ToArray();

    /// <summary>The canonical bytes of a whole snapshot: schemaVersion and metadata first, then the sections in ordinal order.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter's type: no call can bind to both.")]
    public static byte[] ToCanonicalBytes(Snapshot snapshot, bool indented = true) => CanonicalText(snapshot, indented).ToArray();

    /// <summary>
    /// The canonical bytes of a whole snapshot, in the buffer they were written to: a snapshot of a large tree is
    /// 150 MB, and a copy of it would be held beside the buffer while the file is written.
    /// </summary>
    internal static ReadOnlyMemory<byte> CanonicalText(Snapshot snapshot, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // Sized up front (a rendered section as it is, any other at twice its compact text): doubling a 150 MB buffer
        // would hold 300 MB.
        var sizeHint = 1 << 16;
        foreach (var section in snapshot.Sections.Values)
        {
            sizeHint += section.ValueKind == JsonValueKind.Undefined ? 0
                : indented && RenderedText(section) is { IsEmpty: false } rendered ? rendered.Length
                : 2 * JsonMarshal.GetRawUtf8Value(section).Length;
        }

        return Write(indented, sizeHint, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", snapshot.SchemaVersion);
            writer.WritePropertyName("metadata");
            WriteCanonical(writer, ToElement(snapshot.Metadata));
            foreach (var name in snapshot.Sections.Keys.Order(StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                if (indented && RenderedText(snapshot.Sections[name]) is { IsEmpty: false } text)
                {
                    writer.WriteRawValue(text, skipInputValidation: true);
                }
                else
                {
                    WriteCanonical(writer, snapshot.Sections[name]);
                }
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Sections written by their collector already canonical (names in ordinal order at every level), keyed by the
    /// buffer their document was parsed from, with where the section's text is in it.
    /// </summary>
    private static readonly ConditionalWeakTable<byte[], Tuple<int, int>> RenderedSections = new();

    /// <summary>
    /// A section its collector writes itself, in ordinal order at every level (tens of thousands of file entries):
    /// written indented exactly as the snapshot's writer would write it at a section's depth, and parsed in place.
    /// Writing the snapshot then copies these bytes instead of walking the section again.
    /// </summary>
    internal static JsonElement WriteSection(Action<Utf8JsonWriter> writeValue, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, IndentedWriter))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("section"u8);
            writeValue(writer);
            writer.WriteEndObject();
        }

        // Not disposed, not copied: the document lives as long as the snapshot that holds the section.
        var section = JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetProperty("section"u8);
        if (MemoryMarshal.TryGetArray(buffer.WrittenMemory, out var written) && written.Array is { } array)
        {
            var text = JsonMarshal.GetRawUtf8Value(section);
            if (text.Overlaps(array, out var start))
            {
                RenderedSections.AddOrUpdate(array, Tuple.Create(start, text.Length));
            }
        }

        return section;
    }

    /// <summary>A section's canonical indented text, as a snapshot file holds it: a rendered section's own bytes, any other written.</summary>
    internal static ReadOnlySpan<byte> SectionText(JsonElement section) =>
        RenderedText(section) is { IsEmpty: false } rendered ? rendered : Write(indented: true, 256, writer => WriteCanonical(writer, section)).Span;

    /// <summary>The canonical indented text of a section made by <see cref="WriteSection"/>; empty for any other element.</summary>
    private static ReadOnlySpan<byte> RenderedText(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        var text = JsonMarshal.GetRawUtf8Value(element);
        foreach (var (array, range) in RenderedSections)
        {
            if (text.Overlaps(array, out var start) && start == range.Item1 && text.Length == range.Item2)
            {
                return text;
            }
        }

        return default;
    }

    private static ReadOnlyMemory<byte> Write(bool indented, int sizeHint, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriter : CompactWriter))
        {
            write(writer);
        }

        if (indented)
        {
            buffer.Write("\n"u8);
        }

        return buffer.WrittenMemory;
    }
}
