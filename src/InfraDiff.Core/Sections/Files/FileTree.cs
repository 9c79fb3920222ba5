using System.Runtime.InteropServices;
using InfraDiff.Host;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Sections.Files;

/// <param name="HostPath">The path as the host sees it.</param>
/// <param name="Status">What lstat said.</param>
/// <param name="Target">A symlink's target, when it could still be read.</param>
/// <param name="Unreadable">A directory whose entries could not be listed (permission denied).</param>
internal readonly record struct FoundPath(string HostPath, FileStatus Status, string? Target, bool Unreadable);

/// <summary>
/// The walk of one scan: every path under the roots with what lstat says of it, symlinks never followed, each root
/// kept to its filesystem. It needs nothing of the package database, so it runs while that is read.
/// </summary>
internal static class FileTree
{
    public static List<FoundPath> Walk(CollectionContext context, PointerGlob[] excludes, IReadOnlyList<string> roots, bool crossFilesystems, CancellationToken cancellationToken, bool descend = true)
    {
        var found = new List<FoundPath>();
        var entries = new byte[32 << 10];
        foreach (var root in roots)
        {
            var hostRoot = root.Length > 1 ? root.TrimEnd('/') : root;
            if (IsExcluded(excludes, hostRoot) || !ReachedWithoutLinks(context, hostRoot) || Stat(context, hostRoot) is not { } rootStatus)
            {
                continue;
            }

            // Directories still to list, with their place in what was found.
            var pending = new Stack<int>();
            Add(hostRoot, rootStatus, descend);
            while (pending.TryPop(out var index))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var directory = found[index].HostPath;

                // Opened without following a link: a directory swapped for a symlink since lstat is not entered.
                using var handle = LinuxFile.Open(context.Files.MapPath(directory), LinuxFile.ReadOnly | LinuxFile.DirectoryOnly | LinuxFile.NoFollow | LinuxFile.CloseOnExec, out var errno);
                int filled;
                while (handle is not null && (filled = LinuxFile.ReadDirectory(handle, entries)) != 0)
                {
                    if (filled < 0)
                    {
                        errno = -filled;
                        break;
                    }

                    // struct linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), then the name and its NUL.
                    for (var offset = 0; offset < filled; offset += MemoryMarshal.Read<ushort>(entries.AsSpan(offset + 16)))
                    {
                        var record = entries.AsSpan(offset + 19, MemoryMarshal.Read<ushort>(entries.AsSpan(offset + 16)) - 19);
                        var name = record[..(record.IndexOf((byte)0) + 1)];
                        if (name.SequenceEqual(".\0"u8) || name.SequenceEqual("..\0"u8))
                        {
                            continue;
                        }

                        // A name is bytes: one that is not UTF-8 is kept, escaped (HostPath), never dropped or merged with another.
                        var text = HostPath.FromBytes(name[..^1]);
                        var hostPath = directory == "/" ? "/" + text : directory + "/" + text;
                        if (!IsExcluded(excludes, hostPath) && StatAt(context, handle, name, hostPath) is { } status)
                        {
                            Add(hostPath, status);
                        }
                    }
                }

                if (errno is LinuxFile.EACCES or LinuxFile.EPERM)
                {
                    found[index] = found[index] with { Unreadable = true };
                }
            }

            void Add(string hostPath, FileStatus status, bool enter = true)
            {
                if (enter && status.Kind == FileKind.Directory && (crossFilesystems || status.Device == rootStatus.Device))
                {
                    pending.Push(found.Count);
                }

                found.Add(new FoundPath(hostPath, status, status.Kind == FileKind.Symlink ? ReadLink(context, hostPath) : null, false));
            }
        }

        return found;
    }

    /// <summary>
    /// Whether a root's parent directories are real directories under the root: a symlink among them (an image's
    /// /usr pointing at "/") would take the walk outside it. Such a root is a failed part, not scanned.
    /// </summary>
    private static bool ReachedWithoutLinks(CollectionContext context, string hostRoot)
    {
        var parent = Path.GetDirectoryName(hostRoot);
        if (context.IsLiveHost || parent is null or "/")
        {
            return true;
        }

        var real = context.Files.ResolveDirectory(parent);
        var lexical = context.Files.MapPath(parent);
        if (real == lexical || (real is null && FileStatus.LStat(lexical) is null))
        {
            return true;
        }

        var where = real is null ? "to nothing inside the root" : $"to {real[context.Files.Root.Length..]} inside the root";
        context.ReportFailed(JsonPointer.Escape(hostRoot), $"{parent} leads through a symlink ({where}): {hostRoot} not scanned");
        return false;
    }

    /// <summary>A symlink's target as bytes (<see cref="HostPath"/>); null when it is gone or changed since lstat (recorded without a target).</summary>
    private static string? ReadLink(CollectionContext context, string hostPath) => LinuxFile.ReadLink(context.Files.MapPath(hostPath));

    private static bool IsExcluded(PointerGlob[] excludes, string hostPath)
    {
        // A loop, not Any(): a lambda capturing the path would be allocated for every path walked.
        foreach (var exclude in excludes)
        {
            if (exclude.Matches(hostPath))
            {
                return true;
            }
        }

        return false;
    }

    private static FileStatus? Stat(CollectionContext context, string hostPath)
    {
        try
        {
            return FileStatus.LStat(context.Files.MapPath(hostPath));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            InfraDiffLog.RootUnreadable(context.Logger, ex.Message);
            return null;
        }
    }

    /// <summary>What lstat says of a name in a directory being listed; null when it is gone or cannot be examined (logged).</summary>
    private static FileStatus? StatAt(CollectionContext context, SafeFileHandle directory, ReadOnlySpan<byte> name, string hostPath)
    {
        try
        {
            return FileStatus.LStatAt(directory, name, hostPath);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            InfraDiffLog.RootUnreadable(context.Logger, ex.Message);
            return null;
        }
    }
}
