using System.Runtime.InteropServices;
using System.Text.Json;

namespace InfraDiff.Snapshots;

/// <summary>Reads and writes snapshot files, rejecting anything that is not a snapshot with one clear message.</summary>
public static class SnapshotFile
{
    /// <summary>Writes a snapshot canonically, atomically, owner-only.</summary>
    public static Task WriteAsync(string path, Snapshot snapshot, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, SnapshotJson.CanonicalText(snapshot), cancellationToken);

    /// <summary>Reads a snapshot file.</summary>
    /// <exception cref="InvalidSnapshotException">The file is missing, unreadable, not JSON, or not a snapshot this version reads.</exception>
    public static async Task<Snapshot> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(path, await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads two snapshots to compare: the files are read concurrently and parsed one after the other.</summary>
    /// <remarks>
    /// Parsing on one thread, in turn, lets the second parse reuse the large pooled buffer the first one gave
    /// back: with two 280 MB snapshots this keeps the peak near 1.3 GB instead of 1.5 GB. The first document is
    /// checked (duplicate names, metadata) while the second is parsed, which costs no memory.
    /// </remarks>
    /// <exception cref="InvalidSnapshotException">Either file is missing, unreadable, not JSON, or not a snapshot.</exception>
    public static async Task<(Snapshot Before, Snapshot After)> ReadPairAsync(string beforePath, string afterPath, CancellationToken cancellationToken = default)
    {
        var bytes = await Task.WhenAll(ReadBytesAsync(beforePath, cancellationToken), ReadBytesAsync(afterPath, cancellationToken)).ConfigureAwait(false);
        var first = ParseDocument(beforePath, bytes[0]);
        var checkingFirst = Task.Run(() => ToSnapshot(beforePath, first), cancellationToken);
        try
        {
            var second = ToSnapshot(afterPath, ParseDocument(afterPath, bytes[1]));
            return (await checkingFirst.ConfigureAwait(false), second);
        }
        catch (InvalidSnapshotException)
        {
            // When both are bad, the first file's problem is the one told.
            await checkingFirst.ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await InputFile.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (InfraDiffException ex)
        {
            throw new InvalidSnapshotException(path, ex.Message[(path.Length + 2)..], ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSnapshotException(path, FileProblem.Describe(ex), ex);
        }
    }

    /// <summary>Parses a snapshot document; <paramref name="name"/> names it in error messages.</summary>
    /// <exception cref="InvalidSnapshotException">The bytes are not JSON or not a snapshot this version reads.</exception>
    public static Snapshot Parse(string name, ReadOnlyMemory<byte> utf8Json) => ToSnapshot(name, ParseDocument(name, utf8Json));

    /// <exception cref="InvalidSnapshotException">The bytes are not JSON.</exception>
    private static JsonDocument ParseDocument(string name, ReadOnlyMemory<byte> utf8Json)
    {
        if (LoneSurrogate(utf8Json.Span) is { } at)
        {
            throw new InvalidSnapshotException(name, $"invalid JSON: an unpaired UTF-16 surrogate escape at byte {at + 1}");
        }

        try
        {
            // Not disposed: the sections are elements of this document and live as long as the snapshot.
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
            throw new InvalidSnapshotException(name, $"invalid JSON{where}", ex);
        }
    }

    /// <exception cref="InvalidSnapshotException">The document is not a snapshot this version reads.</exception>
    private static Snapshot ToSnapshot(string name, JsonDocument document)
    {
        // Duplicate names at any depth are refused: with "last one wins", a second "metadata" or section would hide
        // what the first one says.
        if (DuplicateName(document.RootElement) is { } duplicate)
        {
            throw new InvalidSnapshotException(name, $"invalid JSON: duplicate key {duplicate}");
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidSnapshotException(name, "not an infradiff snapshot (the document is not a JSON object)");
        }

        if (!root.TryGetProperty("schemaVersion", out var version))
        {
            throw new InvalidSnapshotException(name, "not an infradiff snapshot (no schemaVersion)");
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var schemaVersion) || schemaVersion != Snapshot.CurrentSchemaVersion)
        {
            throw new InvalidSnapshotException(name, $"unknown schemaVersion {version.GetRawText()} (this infradiff reads {Snapshot.CurrentSchemaVersion})");
        }

        if (!root.TryGetProperty("metadata", out var metadataElement) || metadataElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidSnapshotException(name, "not an infradiff snapshot (no metadata object)");
        }

        SnapshotMetadata metadata;
        try
        {
            metadata = metadataElement.Deserialize<SnapshotMetadata>(SnapshotJson.Options)
                ?? throw new InvalidSnapshotException(name, "metadata is null");
        }
        catch (JsonException ex)
        {
            throw new InvalidSnapshotException(name, $"invalid metadata: {ex.Message.Split(" Path:")[0]}", ex);
        }

        var missing = new[] { ("host", string.IsNullOrWhiteSpace(metadata.Host)), ("tool", string.IsNullOrWhiteSpace(metadata.Tool)), ("takenAt", metadata.TakenAt == default), ("collectors", metadata.Collectors is null) }
            .Where(m => m.Item2).Select(m => m.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidSnapshotException(name, $"invalid metadata: no {string.Join(", ", missing)}");
        }

        var sections = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (Snapshot.ReservedKeys.Contains(property.Name))
            {
                continue;
            }

            if (!sections.TryAdd(property.Name, property.Value))
            {
                throw new InvalidSnapshotException(name, $"section '{property.Name}' appears twice");
            }
        }

        return new Snapshot(schemaVersion, metadata, sections);
    }

    /// <summary>
    /// The first name that appears twice in one object, at any depth, in document order. System.Text.Json's own check
    /// cost a second per 280 MB snapshot; here an object whose raw names rise strictly in byte order (every object a
    /// canonical snapshot holds) costs one comparison a name: names without escapes that differ in bytes differ. Only
    /// another object keeps a set of its names, from the first name out of order on.
    /// </summary>
    private static string? DuplicateName(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (DuplicateName(item) is { } duplicate)
                {
                    return duplicate;
                }
            }
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        ReadOnlySpan<byte> previous = default;
        HashSet<string>? names = null;
        var index = 0;
        foreach (var property in element.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (names is null && (raw.Contains((byte)'\\') || (index > 0 && previous.SequenceCompareTo(raw) >= 0)))
            {
                names = new HashSet<string>(element.EnumerateObject().Take(index).Select(p => p.Name), StringComparer.Ordinal);
            }

            if (names is not null && !names.Add(property.Name))
            {
                return property.Name;
            }

            if (DuplicateName(property.Value) is { } nested)
            {
                return nested;
            }

            previous = raw;
            index++;
        }

        return null;
    }

    /// <summary>
    /// The byte offset of a "\\uD800"-style escape that is not half of a surrogate pair: System.Text.Json accepts it
    /// in a document but cannot turn it into a string later. The scan looks only at escapes, so it costs little.
    /// </summary>
    private static int? LoneSurrogate(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        int at;
        while ((at = json[offset..].IndexOf("\\u"u8)) >= 0)
        {
            var start = offset + at;
            offset = start + 2;
            if (start > 0 && IsEscaped(json, start) || Hex(json, start + 2) is not { } unit)
            {
                continue;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return start;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (start + 11 < json.Length && json[start + 6] == '\\' && json[start + 7] == 'u' && Hex(json, start + 8) is >= 0xDC00 and <= 0xDFFF)
                {
                    offset = start + 12;
                    continue;
                }

                return start;
            }
        }

        return null;
    }

    /// <summary>Whether the backslash at <paramref name="at"/> is itself escaped (preceded by an odd number of backslashes).</summary>
    private static bool IsEscaped(ReadOnlySpan<byte> json, int at)
    {
        var count = 0;
        for (var i = at - 1; i >= 0 && json[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static int? Hex(ReadOnlySpan<byte> json, int at) =>
        at + 4 <= json.Length && int.TryParse(json.Slice(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
