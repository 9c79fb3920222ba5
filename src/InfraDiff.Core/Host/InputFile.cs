namespace InfraDiff.Host;

/// <summary>
/// Reads a file an operator names (a snapshot, a report, a configuration, .env): opened without blocking and read
/// only if it is a regular file, so a FIFO given as input fails at once instead of hanging the command.
/// </summary>
public static class InputFile
{
    /// <summary>The file's bytes.</summary>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, or unreadable; the message names it.</exception>
    public static async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = Open(path);
        // Read into an array of the file's size: a growing buffer would hold twice a 300 MB snapshot at its peak.
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new InfraDiffException($"{path}: {length:N0} bytes, more than a document can be");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length && await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false) is var n and > 0)
        {
            read += n;
        }

        var probe = new byte[1];
        if (read == bytes.Length && RandomAccess.Read(handle, probe, read) == 0)
        {
            return bytes;
        }

        // The file changed size while being read: read it again as a stream, to its end.
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, 1 << 20, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary>The file's text (UTF-8).</summary>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, or unreadable; the message names it.</exception>
    public static string ReadAllText(string path) => System.Text.Encoding.UTF8.GetString(ReadAllBytesAsync(path).GetAwaiter().GetResult());

    private static Microsoft.Win32.SafeHandles.SafeFileHandle Open(string path)
    {
        var full = Path.GetFullPath(path);
        var handle = LinuxFile.Open(full, LinuxFile.ReadOnly | LinuxFile.NonBlock | LinuxFile.CloseOnExec, out var errno)
            ?? throw new InfraDiffException(errno switch
            {
                LinuxFile.ENOENT or LinuxFile.ENOTDIR => $"{path}: no such file",
                LinuxFile.EACCES or LinuxFile.EPERM => $"{path}: cannot read: permission denied",
                _ => $"{path}: cannot read (errno {errno})",
            });
        var mode = LinuxFile.ModeOf(handle);
        if ((mode & LinuxFile.TypeMask) != LinuxFile.TypeRegular)
        {
            handle.Dispose();
            throw new InfraDiffException($"{path}: a {LinuxFile.KindOf(mode)}, not a regular file");
        }

        return handle;
    }
}
