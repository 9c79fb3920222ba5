using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using InfraDiff.Host;

namespace InfraDiff.Snapshots;

/// <summary>
/// A large snapshot as a store keeps it: its text cut into content-defined chunks, each kept once, deflated, under the
/// SHA-256 of its bytes (<c>chunks/HASH.chunk</c>), and a small manifest in the snapshot's place naming them in order, with the
/// whole text's length and SHA-256. Cuts depend on the bytes around them, not on offsets, so a change to one file's
/// entry changes one or two chunks and the manifest: a store grows by what changed, not by the size of the host.
/// Reading a manifest back gives the byte-identical text; a chunk whose bytes do not hash to its name is refused.
/// </summary>
/// <param name="Length">The whole text's length in bytes.</param>
/// <param name="Sha256">The whole text's SHA-256 (lowercase hex).</param>
/// <param name="Chunks">The chunks' SHA-256s (lowercase hex), in order.</param>
internal sealed record ChunkedSnapshot(long Length, string Sha256, IReadOnlyList<string> Chunks)
{
    /// <summary>The store's folder of chunks, beside the manifests.</summary>
    public const string Folder = "chunks";

    /// <summary>A text shorter than this is stored whole: it would be a chunk or two anyway.</summary>
    public const int StoredWholeBelow = 1 << 20;

    /// <summary>No chunk is cut shorter than this (but the last).</summary>
    internal const int MinChunk = 32 << 10;

    /// <summary>No chunk is longer than this.</summary>
    internal const int MaxChunk = 512 << 10;

    /// <summary>The most a chunk's file may hold: a deflated chunk of bytes that do not compress is a little longer than they are.</summary>
    internal const int FileLimit = MaxChunk + (4 << 10);

    /// <summary>The most a manifest may be: one name per smallest chunk of the largest document.</summary>
    public const long ManifestLimit = 8 << 20;

    /// <summary>A cut where the top 17 bits of the rolling hash are zero: one chunk in 128 KiB past the minimum.</summary>
    private const ulong CutMask = ~0UL << (64 - 17);

    private const string Suffix = ".chunk";

    /// <summary>How a manifest begins (its first member): what tells one from a snapshot document.</summary>
    private static readonly byte[] Marker = "{\"chunkedSnapshot\":1,"u8.ToArray();

    /// <summary>The gear hash's table: 256 fixed pseudo-random words (SHA-256 of their index), the same in every version.</summary>
    private static readonly ulong[] Gear = [.. Enumerable.Range(0, 256).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData([(byte)'g', (byte)i])))];

    /// <summary>A chunk's file name in the store ("chunks/HASH.chunk").</summary>
    public static string FileOf(string sha256) => $"{Folder}/{sha256}{Suffix}";

    /// <summary>Whether an entry of the chunks folder has a chunk's name (64 lowercase hex digits and ".chunk").</summary>
    public static bool IsChunkName(string entry) =>
        entry.Length == 64 + Suffix.Length && entry.EndsWith(Suffix, StringComparison.Ordinal) && entry.AsSpan(0, 64).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>Whether stored bytes are a manifest rather than a snapshot document.</summary>
    public static bool IsManifest(ReadOnlySpan<byte> stored) => stored.StartsWith(Marker);

    /// <summary>
    /// Cuts a text into chunks and hands each to <paramref name="keep"/> with its hash (it stores what it does not
    /// have yet); returns the manifest.
    /// </summary>
    public static ChunkedSnapshot Cut(ReadOnlyMemory<byte> text, Action<string, ReadOnlyMemory<byte>> keep)
    {
        var chunks = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = CutPoint(text.Span[start..]) + start;
            var hash = Convert.ToHexStringLower(SHA256.HashData(text.Span[start..end]));
            keep(hash, text[start..end]);
            chunks.Add(hash);
            start = end;
        }

        return new ChunkedSnapshot(text.Length, Convert.ToHexStringLower(SHA256.HashData(text.Span)), chunks);
    }

    /// <summary>Where the chunk that starts <paramref name="rest"/> ends: a gear hash over the last 64 bytes decides.</summary>
    private static int CutPoint(ReadOnlySpan<byte> rest)
    {
        if (rest.Length <= MinChunk)
        {
            return rest.Length;
        }

        var limit = Math.Min(rest.Length, MaxChunk);
        ulong hash = 0;
        for (var i = MinChunk - 64; i < limit; i++)
        {
            hash = (hash << 1) + Gear[rest[i]];
            if ((hash & CutMask) == 0 && i >= MinChunk)
            {
                return i + 1;
            }
        }

        return limit;
    }

    /// <summary>The manifest's text (compact JSON, its marker first).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("chunkedSnapshot", 1);
            writer.WriteNumber("length", Length);
            writer.WriteString("sha256", Sha256);
            writer.WriteStartArray("chunks");
            foreach (var chunk in Chunks)
            {
                writer.WriteStringValue(chunk);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A manifest's content, or null with what is wrong with it.</summary>
    public static ChunkedSnapshot? Parse(ReadOnlySpan<byte> stored, out string? problem)
    {
        problem = "not a chunked snapshot's manifest";
        try
        {
            var reader = new Utf8JsonReader(stored);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (!IsManifest(stored) || !root.TryGetProperty("length", out var length) || !root.TryGetProperty("sha256", out var sha256) || !root.TryGetProperty("chunks", out var chunks)
                || length.ValueKind != JsonValueKind.Number || !length.TryGetInt64(out var bytes) || bytes is < 0 or > InputFile.DocumentLimit
                || sha256.GetString() is not { Length: 64 } whole || !IsChunkName(whole + Suffix) || chunks.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = new List<string>(chunks.GetArrayLength());
            foreach (var chunk in chunks.EnumerateArray())
            {
                if (chunk.ValueKind != JsonValueKind.String || chunk.GetString() is not { } name || !IsChunkName(name + Suffix))
                {
                    return null;
                }

                names.Add(name);
            }

            // Each chunk holds at least one byte and at most MaxChunk: a count the length cannot hold is a forgery.
            if (names.Count > bytes || (long)names.Count * MaxChunk < bytes)
            {
                return null;
            }

            problem = null;
            return new ChunkedSnapshot(bytes, whole, names);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A chunk as its file holds it: deflated (JSON text takes a third of its size or less).</summary>
    public static byte[] Pack(ReadOnlySpan<byte> chunk)
    {
        using var packed = new MemoryStream(chunk.Length / 2);
        using (var deflate = new System.IO.Compression.DeflateStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(chunk);
        }

        return packed.ToArray();
    }

    /// <summary>A buffer a chunk is inflated into (<see cref="Inflate"/>).</summary>
    public static byte[] NewBuffer() => new byte[MaxChunk + 1];

    /// <summary>
    /// Inflates a chunk's file bytes into <paramref name="buffer"/> (<see cref="NewBuffer"/>) and returns the chunk;
    /// empty when they are not deflated data, would inflate past <see cref="MaxChunk"/>, or are not the chunk whose
    /// SHA-256 is <paramref name="sha256"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Inflate(byte[] stored, string sha256, byte[] buffer)
    {
        var chunk = Unpack(stored, buffer);
        return !chunk.IsEmpty && Convert.ToHexStringLower(SHA256.HashData(chunk)) == sha256 ? chunk : [];
    }

    private static ReadOnlySpan<byte> Unpack(byte[] stored, byte[] buffer)
    {
        try
        {
            using var deflate = new System.IO.Compression.DeflateStream(new MemoryStream(stored), System.IO.Compression.CompressionMode.Decompress);
            var length = 0;
            while (length < buffer.Length && deflate.Read(buffer, length, buffer.Length - length) is var n and > 0)
            {
                length += n;
            }

            return length > MaxChunk ? [] : buffer.AsSpan(0, length);
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }

    /// <summary>
    /// The whole text, each chunk's file read with <paramref name="read"/> (null when it is not there), inflated and
    /// checked against its name, the whole against its length and hash; null with the problem (naming the chunk) when one is missing or
    /// does not match, <paramref name="badChunk"/> then naming a chunk whose bytes are wrong.
    /// </summary>
    public byte[]? Assemble(Func<string, byte[]?> read, out string? problem, out string? badChunk)
    {
        badChunk = null;
        var text = new byte[Length];
        var buffer = NewBuffer();
        var at = 0L;
        foreach (var chunk in Chunks)
        {
            var stored = read(FileOf(chunk));
            if (stored is null)
            {
                problem = $"its chunk {FileOf(chunk)} is missing";
                return null;
            }

            var bytes = Inflate(stored, chunk, buffer);
            if (bytes.IsEmpty)
            {
                problem = $"its chunk {FileOf(chunk)} does not hold the bytes its name is the hash of (edited)";
                badChunk = FileOf(chunk);
                return null;
            }

            if (at + bytes.Length > Length)
            {
                problem = $"its chunks hold more than the {Length:N0} bytes it names";
                return null;
            }

            bytes.CopyTo(text.AsSpan((int)at));
            at += bytes.Length;
        }

        if (at != Length || Convert.ToHexStringLower(SHA256.HashData(text)) != Sha256)
        {
            problem = "its chunks do not make the text it names (length or hash differ)";
            return null;
        }

        problem = null;
        return text;
    }

    /// <summary>
    /// The text of a stored snapshot file as a reader outside the store gets it (<c>infradiff diff</c> on two store
    /// files): a manifest is assembled from the chunks folder beside it, read without following a link, each chunk bounded.
    /// </summary>
    /// <exception cref="InfraDiffException">A chunk is missing, unreadable or wrong; the message names it.</exception>
    public static byte[] Resolve(string path, byte[] stored)
    {
        if (!IsManifest(stored))
        {
            return stored;
        }

        var manifest = Parse(stored, out var problem) ?? throw new InfraDiffException($"{path}: {problem}");
        using var store = ConfinedDirectory.Open(Path.GetDirectoryName(Path.GetFullPath(path))!, create: false);
        try
        {
            return manifest.Assemble(name => store.Read(name, FileLimit), out problem, out _) ?? throw new InfraDiffException($"{path}: {problem}");
        }
        catch (ConfinedFileException ex)
        {
            throw new InfraDiffException($"{path}: its chunk {ex.Message}");
        }
    }
}
