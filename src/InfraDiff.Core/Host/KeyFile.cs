using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace InfraDiff.Host;

/// <summary>A 32-byte secret kept in a file of its own (0600, in an owner-only folder), made on first use.</summary>
internal static class KeyFile
{
    /// <summary>A key's length.</summary>
    public const int Length = 32;

    /// <summary>
    /// The 32 bytes of the key file at <paramref name="path"/>, or null when there is none. Opened without blocking and
    /// read only when it is a regular file of exactly 32 bytes (a link to one is followed: secrets are often mounted
    /// so); a FIFO, a device, a folder or a file of any other size is refused by name, never read.
    /// </summary>
    /// <exception cref="InfraDiffException">It is there and is not a key.</exception>
    public static byte[]? Read(string path)
    {
        using var handle = LinuxFile.Open(Path.GetFullPath(path), LinuxFile.ReadOnly | LinuxFile.NonBlock | LinuxFile.CloseOnExec, out var errno);
        if (handle is null)
        {
            return errno is LinuxFile.ENOENT ? null : throw new InfraDiffException($"{path}: cannot read the key: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var mode = LinuxFile.ModeOf(handle);
        if ((mode & LinuxFile.TypeMask) != LinuxFile.TypeRegular)
        {
            throw new InfraDiffException($"{path}: a {LinuxFile.KindOf(mode)}, not a key file (a regular file of {Length} bytes)");
        }

        var length = RandomAccess.GetLength(handle);
        var key = new byte[Length];
        if (length != Length || RandomAccess.Read(handle, key, 0) != Length)
        {
            throw new InfraDiffException($"{path}: not a key ({length:N0} bytes; a key is {Length})");
        }

        return key;
    }

    /// <summary>The key in <paramref name="path"/>, made of new random bytes (0600) when there is no file.</summary>
    /// <exception cref="InfraDiffException">A file is there and is not a key.</exception>
    public static byte[] LoadOrCreate(string path)
    {
        if (Read(path) is { } existing)
        {
            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(Length);
        AtomicFile.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAsync(path, key).GetAwaiter().GetResult();
        return key;
    }
}
