using System.Text.Json;

namespace InfraDiff.Snapshots;

/// <summary>
/// One reader pass over a snapshot's text: what <see cref="JsonDocument"/> refuses (the same exception, the same
/// position), a name that appears twice in one object at any depth, and, when asked, where each member of the
/// top-level "files" object lies.
/// </summary>
internal static class JsonCheck
{
    public static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>" at line 3, position 14": where a reader stopped, counted from 1 (empty when it does not say).</summary>
    public static string Where(JsonException problem) =>
        problem.LineNumber is { } line ? $" at line {line + 1}, position {problem.BytePositionInLine + 1}" : "";

    /// <summary>Checks a text; the files section's members when asked and it is an object.</summary>
    /// <param name="json">The whole text.</param>
    /// <param name="indexFiles">Whether to index the top-level "files" object's members.</param>
    /// <param name="duplicate">The first name, in document order, that appears twice in one object.</param>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static SectionText? Check(ReadOnlyMemory<byte> json, bool indexFiles, out string? duplicate)
    {
        var text = json.Span;
        var reader = new Utf8JsonReader(text, Options);
        var objects = new Frame[8];
        var depth = -1;
        duplicate = null;

        // The files section: the depth of its object once entered, its members, and the member whose value is being read.
        var filesNext = false;
        var filesDepth = -2;
        List<SectionText.Member>? files = null;
        var valueNext = false;
        var valueStart = 0;
        SectionText? section = null;
        var previousEnd = 0;
        while (reader.Read())
        {
            if (valueNext)
            {
                valueStart = (int)reader.TokenStartIndex;
                valueNext = false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (++depth == objects.Length)
                    {
                        Array.Resize(ref objects, objects.Length * 2);
                    }

                    objects[depth] = new Frame { Start = (int)reader.TokenStartIndex };
                    if (filesNext && reader.TokenType == JsonTokenType.StartObject)
                    {
                        filesDepth = depth;
                        files = [];
                    }

                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (depth == filesDepth)
                    {
                        EndMember(files!, valueStart, previousEnd);
                        var start = objects[depth].Start;
                        section = new SectionText(json, start, (int)reader.BytesConsumed - start, [.. files!]);
                        filesDepth = -2;
                    }

                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    ref var frame = ref objects[depth];
                    if (duplicate is null)
                    {
                        duplicate = Twice(ref frame, ref reader, text);
                    }

                    if (depth == filesDepth)
                    {
                        EndMember(files!, valueStart, previousEnd);
                        files!.Add(new SectionText.Member((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped, -1, 0));
                        valueNext = true;
                    }

                    break;
            }

            filesNext = indexFiles && depth == 0 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("files"u8);
            previousEnd = (int)reader.BytesConsumed;
        }

        return section;
    }

    /// <summary>Closes the last member, if open, at the end of the value that began at <paramref name="start"/>.</summary>
    private static void EndMember(List<SectionText.Member> members, int start, int end)
    {
        if (members.Count > 0 && members[^1].ValueStart == -1)
        {
            members[^1] = members[^1] with { ValueStart = start, ValueLength = end - start };
        }
    }

    /// <summary>
    /// The name just read if the object already has it. An object whose raw names rise strictly in byte order (every
    /// object a canonical snapshot holds) costs one comparison a name: names without escapes that differ in bytes
    /// differ. Only another object keeps a set of its names, from the first name out of order on.
    /// </summary>
    private static string? Twice(ref Frame frame, ref Utf8JsonReader reader, ReadOnlySpan<byte> text)
    {
        var raw = reader.ValueSpan;
        if (frame.Names is null && (reader.ValueIsEscaped || (frame.Count > 0 && text.Slice(frame.PreviousStart, frame.PreviousLength).SequenceCompareTo(raw) >= 0)))
        {
            frame.Names = NamesBefore(text[frame.Start..], frame.Count);
        }

        var name = frame.Names is null ? null : reader.GetString()!;
        frame.PreviousStart = (int)reader.TokenStartIndex + 1;
        frame.PreviousLength = raw.Length;
        frame.Count++;
        return name is not null && !frame.Names!.Add(name) ? name : null;
    }

    /// <summary>The first <paramref name="count"/> names of the object <paramref name="text"/> starts with.</summary>
    private static HashSet<string> NamesBefore(ReadOnlySpan<byte> text, int count)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(text, Options);
        reader.Read();
        for (var k = 0; k < count; k++)
        {
            reader.Read();
            names.Add(reader.GetString()!);
            reader.Read();
            reader.Skip();
        }

        return names;
    }

    /// <summary>An open object or array: where it starts and, for an object, the names read so far.</summary>
    private struct Frame
    {
        public int Start;
        public int Count;
        public int PreviousStart;
        public int PreviousLength;
        public HashSet<string>? Names;
    }
}
