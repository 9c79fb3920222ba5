using System.Security.Cryptography;
using System.Text;
using InfraDiff.Host;

namespace InfraDiff.Sections.Files;

/// <summary>
/// The files collector's cache files (the hash cache, the package index), one per scanned root. Each starts with its
/// format's name and the root it was written for, and ends with an HMAC-SHA256 of everything before it, under a key kept beside them (32 random bytes, 0600, created on first use): a
/// torn file fails the check, and so does one edited by someone who cannot read the key (a checksum they could
/// recompute).
/// </summary>
internal static class CacheFile
{
    /// <summary>The cache file of one kind for one scanned root: two roots never share entries.</summary>
    public static string PathFor(string cacheDirectory, string kind, string root) =>
        Path.Join(cacheDirectory, $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16]}.cache");

    /// <summary>
    /// A reader over the file's body, past its header (the format's <paramref name="magic"/> and the scanned
    /// <paramref name="root"/>); null when there is no file.
    /// </summary>
    /// <exception cref="InvalidDataException">Its authentication code does not match, or it was written for another root or by another version.</exception>
    /// <exception cref="EndOfStreamException">It is cut short.</exception>
    /// <exception cref="IOException">It could not be read.</exception>
    public static BinaryReader? Open(string path, string magic, string root)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (bytes.Length < 32 || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(KeyFor(path), bytes.AsSpan(0, bytes.Length - 32)), bytes.AsSpan(bytes.Length - 32)))
        {
            throw new InvalidDataException("its authentication code does not match (edited, cut short, or written under another key)");
        }

        var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32, writable: false), Encoding.UTF8);
        if (reader.ReadString() != magic || reader.ReadString() != root)
        {
            reader.Dispose();
            throw new InvalidDataException("written for another root or by another version");
        }

        return reader;
    }

    /// <summary>Writes the header, the body <paramref name="writeBody"/> writes, and their authentication code, atomically and owner-only.</summary>
    public static async Task WriteAsync(string path, string magic, string root, Action<BinaryWriter> writeBody, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(root);
            writeBody(writer);
        }

        content.Write(HMACSHA256.HashData(KeyFor(path), content.GetBuffer().AsSpan(0, (int)content.Length)));
        AtomicFile.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAsync(path, content.GetBuffer().AsMemory(0, (int)content.Length), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] KeyFor(string path) => KeyFile.LoadOrCreate(Path.Join(Path.GetDirectoryName(path), "files-cache.key"));
}
