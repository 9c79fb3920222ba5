using System.Text.Json;
using InfraDiff.Host;

namespace InfraDiff.Snapshots;

/// <summary>Reads and writes snapshot files, rejecting anything that is not a snapshot with one clear message.</summary>
public static class SnapshotFile
{
    /// <summary>Writes a snapshot canonically, atomically, owner-only (<see cref="OutputFile"/>).</summary>
    /// <exception cref="InfraDiffException">Its folder does not exist, or the target is not a regular file.</exception>
    public static Task WriteAsync(string path, Snapshot snapshot, CancellationToken cancellationToken = default) =>
        OutputFile.WriteAsync(path, SnapshotJson.CanonicalText(snapshot), cancellationToken);

    /// <summary>Reads a snapshot file.</summary>
    /// <exception cref="InvalidSnapshotException">The file is missing, unreadable, not JSON, or not a snapshot this version reads.</exception>
    public static async Task<Snapshot> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(path, await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Reads two snapshots to compare. Both texts are checked at once, one a core; when both have a files section
    /// object, it is kept as text (<see cref="SectionText"/>) and the snapshots' documents hold the rest, with the
    /// section as "{}": two 280 MB snapshots then take about their size in memory, not 1.3 GB.
    /// </summary>
    /// <exception cref="InvalidSnapshotException">Either file is missing, unreadable, not JSON, or not a snapshot; when both are, the first is named.</exception>
    internal static async Task<SnapshotPair> ReadPairAsync(string beforePath, string afterPath, CancellationToken cancellationToken)
    {
        var reads = new[] { ReadBytesAsync(beforePath, cancellationToken), ReadBytesAsync(afterPath, cancellationToken) };
        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (InvalidSnapshotException) when (!reads[0].IsFaulted && reads[1].IsFaulted)
        {
            // The later file failed as it was read; the earlier one may have a problem its reading cannot see (a name twice), told first.
            Check(beforePath, await reads[0].ConfigureAwait(false), indexFiles: false);
            throw;
        }

        var bytes = new[] { await reads[0].ConfigureAwait(false), await reads[1].ConfigureAwait(false) };
        var checks = new[] { Task.Run(() => Check(beforePath, bytes[0], indexFiles: true)), Task.Run(() => Check(afterPath, bytes[1], indexFiles: true)) };
        try
        {
            await Task.WhenAll(checks).ConfigureAwait(false);
        }
        catch (InvalidSnapshotException)
        {
            // Told below, the first file's problem first.
        }

        var (old, @new) = (await checks[0].ConfigureAwait(false), await checks[1].ConfigureAwait(false));
        if (old is null || @new is null)
        {
            return new SnapshotPair(ToSnapshot(beforePath, Document(beforePath, bytes[0])), ToSnapshot(afterPath, Document(afterPath, bytes[1])), null);
        }

        return new SnapshotPair(
            ToSnapshot(beforePath, Document(beforePath, WithoutSection(bytes[0], old))),
            ToSnapshot(afterPath, Document(afterPath, WithoutSection(bytes[1], @new))),
            (old, @new));
    }

    /// <summary>The document's text with the section's value replaced by "{}".</summary>
    private static byte[] WithoutSection(byte[] json, SectionText section)
    {
        var rest = new byte[json.Length - section.Length + 2];
        json.AsSpan(0, section.Start).CopyTo(rest);
        "{}"u8.CopyTo(rest.AsSpan(section.Start));
        json.AsSpan(section.Start + section.Length).CopyTo(rest.AsSpan(section.Start + 2));
        return rest;
    }

    private static async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // A store's large snapshot is a manifest of chunks beside it: read whole, as it was written.
            return ChunkedSnapshot.Resolve(path, await InputFile.ReadJsonAsync(path, InputFile.DocumentLimit, JsonCheck.Options, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException ex)
        {
            throw new InvalidSnapshotException(path, $"invalid JSON{JsonCheck.Where(ex)}", ex);
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
    public static Snapshot Parse(string name, ReadOnlyMemory<byte> utf8Json)
    {
        // The text is checked on another core while the document is built: each takes as long as the other.
        var checking = Task.Run(() => Check(name, utf8Json, indexFiles: false));
        JsonDocument document;
        try
        {
            document = Document(name, utf8Json);
        }
        catch (InvalidSnapshotException)
        {
            // The check's message says where.
            checking.GetAwaiter().GetResult();
            throw;
        }

        checking.GetAwaiter().GetResult();
        return ToSnapshot(name, document);
    }

    /// <summary>Checks a snapshot's text (<see cref="JsonCheck"/>); the files section's members when asked and it is an object.</summary>
    /// <exception cref="InvalidSnapshotException">The bytes are not JSON, or an object has a name twice.</exception>
    private static SectionText? Check(string name, ReadOnlyMemory<byte> utf8Json, bool indexFiles)
    {
        if (LoneSurrogate(utf8Json.Span) is { } at)
        {
            throw new InvalidSnapshotException(name, $"invalid JSON: an unpaired UTF-16 surrogate escape at byte {at + 1}");
        }

        SectionText? files;
        string? duplicate;
        try
        {
            files = JsonCheck.Check(utf8Json, indexFiles, out duplicate);
        }
        catch (JsonException ex)
        {
            throw new InvalidSnapshotException(name, $"invalid JSON{JsonCheck.Where(ex)}", ex);
        }

        // Duplicate names at any depth are refused: with "last one wins", a second "metadata" or section would hide
        // what the first one says.
        return duplicate is null ? files : throw new InvalidSnapshotException(name, $"invalid JSON: duplicate key {duplicate}");
    }

    /// <summary>The document of a text; what is wrong with one that is not JSON, <see cref="Check"/> tells.</summary>
    /// <remarks>Not disposed: the sections are elements of this document and live as long as the snapshot.</remarks>
    private static JsonDocument Document(string name, ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = JsonCheck.Options.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new InvalidSnapshotException(name, "invalid JSON", ex);
        }
    }

    /// <exception cref="InvalidSnapshotException">The document is not a snapshot this version reads.</exception>
    private static Snapshot ToSnapshot(string name, JsonDocument document)
    {
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

            sections.Add(property.Name, property.Value);
        }

        return new Snapshot(schemaVersion, metadata, sections);
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
