using System.Security.Cryptography;
using System.Text;
using InfraDiff.Snapshots;

namespace InfraDiff.Collectors.Files;

/// <summary>
/// The files collector's cache files (the hash cache, the package index), one per scanned root. Each ends with an
/// HMAC-SHA256 of everything before it, under a key kept beside them (32 random bytes, 0600, created on first use): a
/// torn file fails the check, and so does one edited by someone who cannot read the key (a checksum they could
/// recompute).
/// </summary>
internal static class CacheFile
{
    /// <summary>The cache file of one kind for one scanned root: two roots never share entries.</summary>
    public static string PathFor(string cacheDirectory, string kind, string root) =>
        Path.Join(cacheDirectory, $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16]}.cache");

    /// <summary>What the file holds before its authentication code; null when there is no file.</summary>
    /// <exception cref="InvalidDataException">Its authentication code does not match.</exception>
    /// <exception cref="IOException">It could not be read.</exception>
    public static MemoryStream? Read(string path)
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

        return new MemoryStream(bytes, 0, bytes.Length - 32, writable: false);
    }

    /// <summary>Writes <paramref name="content"/> and its authentication code atomically, owner-only.</summary>
    public static async Task WriteAsync(string path, MemoryStream content, CancellationToken cancellationToken)
    {
        content.Write(HMACSHA256.HashData(KeyFor(path), content.GetBuffer().AsSpan(0, (int)content.Length)));
        AtomicFile.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAsync(path, content.GetBuffer().AsMemory(0, (int)content.Length), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] KeyFor(string path) => KeyFile.LoadOrCreate(Path.Join(Path.GetDirectoryName(path), "files-cache.key"));
}
