using System.Security.Cryptography;

namespace InfraDiff.Host;

/// <summary>A 32-byte secret kept in a file of its own (0600, in an owner-only folder), made on first use.</summary>
internal static class KeyFile
{
    /// <summary>The key in <paramref name="path"/>; a missing file, or one that does not hold 32 bytes, is replaced by new random bytes.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path) && File.ReadAllBytes(path) is { Length: 32 } existing)
        {
            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(32);
        AtomicFile.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAsync(path, key).GetAwaiter().GetResult();
        return key;
    }
}
