namespace InfraDiff.Host;

/// <summary>
/// Writes an output someone asked for (a snapshot, a baseline, a report page) the way every infradiff output is
/// written: owner-only (0600), whole or not at all, never replacing a device, a FIFO, a folder or a symlink, and only
/// into a folder that exists (a mistyped path is an error, not a tree of new folders).
/// </summary>
public static class OutputFile
{
    /// <summary>Checks that <paramref name="path"/> can be written before the work that produces it is done.</summary>
    /// <exception cref="InfraDiffException">Its folder does not exist, or it is a symlink.</exception>
    public static void CheckFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new InfraDiffException($"{path}: no such directory {folder} (create it first)");
        }

        // The output replaces the file whole (a rename): onto a link that would silently swap the link for a file, and
        // writing through it would put the output wherever the link points. Neither is what -o FILE asks.
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new InfraDiffException($"{path}: a symlink (to {HostText.Visible(Excerpt.Cut(target, 120))}): not replaced; give the path of the file itself");
        }
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically, 0600.</summary>
    /// <exception cref="InfraDiffException">Its folder does not exist, or the target is not a regular file.</exception>
    public static Task WriteAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken = default)
    {
        CheckFolder(path);
        return AtomicFile.WriteAsync(path, contents, cancellationToken);
    }
}
