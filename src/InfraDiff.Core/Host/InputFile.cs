namespace InfraDiff.Host;

/// <summary>
/// Reads a file an operator names (a snapshot, a report, a configuration, .env): opened without blocking and read
/// only if it is a regular file, so a FIFO given as input fails at once instead of hanging the command.
/// </summary>
public static class InputFile
{
    /// <summary>The most a snapshot or a report may be: what one array holds (about 2 GiB).</summary>
    public const long DocumentLimit = 0x7FFFFFC7;

    /// <summary>The most a settings file (infradiff.json, .env) may be: 1 MiB.</summary>
    public const long SettingsLimit = 1 << 20;

    /// <summary>The most an inventory may be: 16 MiB, some 200,000 hosts.</summary>
    public const long InventoryLimit = 16 << 20;

    /// <summary>The file's bytes, at most <paramref name="limit"/> of them.</summary>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, larger than the limit, or unreadable; the message names it.</exception>
    public static Task<byte[]> ReadAllBytesAsync(string path, long limit, CancellationToken cancellationToken = default) =>
        ReadAllBytesAsync(path, limit, json: null, cancellationToken);

    /// <summary>
    /// The file's bytes, checked as JSON while they are read: a document that is not JSON is refused at its first
    /// invalid byte (a 1.9 GB file of NUL bytes after one block, not after reading it all).
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The bytes read so far are not JSON; its line and position say where.</exception>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, larger than the limit, or unreadable; the message names it.</exception>
    internal static Task<byte[]> ReadJsonAsync(string path, long limit, System.Text.Json.JsonReaderOptions options, CancellationToken cancellationToken) =>
        ReadAllBytesAsync(path, limit, new JsonProgress(options), cancellationToken);

    private static async Task<byte[]> ReadAllBytesAsync(string path, long limit, JsonProgress? json, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = Open(path);
        // Read into an array of the file's size: a growing buffer would hold twice a 300 MB snapshot at its peak.
        var length = RandomAccess.GetLength(handle);
        if (length > limit)
        {
            throw TooLarge(path, length, limit);
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length && await RandomAccess.ReadAsync(handle, bytes.AsMemory(read, Math.Min(bytes.Length - read, json is null ? int.MaxValue : JsonProgress.Block)), read, cancellationToken).ConfigureAwait(false) is var n and > 0)
        {
            read += n;
            json?.Check(bytes, read, final: read == bytes.Length);
        }

        var probe = new byte[1];
        if (read == bytes.Length && RandomAccess.Read(handle, probe, read) == 0)
        {
            return bytes;
        }

        // The file changed size while being read: read it again as a stream, to its end or the limit.
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = 0;
            var buffer = new MemoryStream();
            var chunk = new byte[1 << 20];
            while (await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) is var n and > 0)
            {
                if (buffer.Length + n > limit)
                {
                    throw TooLarge(path, buffer.Length + n, limit);
                }

                buffer.Write(chunk, 0, n);
            }

            var all = buffer.ToArray();
            json?.Restart();
            json?.Check(all, all.Length, final: true);
            return all;
        }
    }

    /// <summary>A JSON reader carried across the blocks of a file as they arrive.</summary>
    private sealed class JsonProgress(System.Text.Json.JsonReaderOptions options)
    {
        public const int Block = 4 << 20;

        private System.Text.Json.JsonReaderState state = new(options);
        private long consumed;

        /// <summary>The file is read again from its start (it changed size): so is the check.</summary>
        public void Restart()
        {
            consumed = 0;
            state = new System.Text.Json.JsonReaderState(options);
        }

        public void Check(byte[] bytes, int read, bool final)
        {
            var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan((int)consumed, read - (int)consumed), final, state);
            while (reader.Read())
            {
            }

            consumed += reader.BytesConsumed;
            state = reader.CurrentState;
        }
    }

    /// <summary>The file's bytes, at most <paramref name="limit"/> of them.</summary>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, larger than the limit, or unreadable; the message names it.</exception>
    public static byte[] ReadAllBytes(string path, long limit) => ReadAllBytesAsync(path, limit).GetAwaiter().GetResult();

    /// <summary>The file's text (UTF-8), at most <paramref name="limit"/> bytes of it.</summary>
    /// <exception cref="InfraDiffException">It is missing, not a regular file, larger than the limit, or unreadable; the message names it.</exception>
    public static string ReadAllText(string path, long limit) => System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, limit));

    private static InfraDiffException TooLarge(string path, long length, long limit) =>
        new($"{path}: {length:N0} bytes or more, more than the {limit:N0} it may be");

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
