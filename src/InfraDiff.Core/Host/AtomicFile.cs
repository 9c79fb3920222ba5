namespace InfraDiff.Host;

/// <summary>Writes files the way every infradiff output is written: owner-only (0600), whole or not at all.</summary>
internal static class AtomicFile
{
    /// <summary>Owner-only: the mode of every file infradiff writes.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates a folder (and its parents) owner-only, 0700, if it does not exist yet.</summary>
    public static void CreateDirectory(string path) =>
        Directory.CreateDirectory(path, OwnerOnly | UnixFileMode.UserExecute);

    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>, flushes it to disk, then
    /// renames it over the target. A target that exists and is not a regular file (a device such as /dev/null, a
    /// FIFO, a directory) is refused rather than replaced.
    /// </summary>
    /// <exception cref="InfraDiffException">The target is not a regular file.</exception>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        if (Host.LinuxFile.TryLStat(fullPath, out var status, out _) && (status.Mode & Host.LinuxFile.TypeMask) is not (Host.LinuxFile.TypeRegular or Host.LinuxFile.TypeSymlink))
        {
            throw new InfraDiffException($"{path}: a {Host.LinuxFile.KindOf(status.Mode)}, not a regular file: not replaced");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Join(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnly,
            };
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
