using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Host;

/// <summary>
/// A folder infradiff owns (a snapshot store) whose every file and subfolder is reached from the folder's own
/// descriptor and never through a link: openat2 with RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS, new files created with
/// O_EXCL, renames and deletions done on the entry itself, every read bounded. A link, a FIFO, a device or a folder
/// where a file belongs is a <see cref="ConfinedFileException"/> naming it, never followed, waited on or crashed into.
/// Names are relative, with "/" between folders ("outbox/dead/x.json").
/// </summary>
internal sealed partial class ConfinedDirectory : IDisposable
{
    private const int WriteOnly = 0x1;
    private const int ReadWrite = 0x2;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int AppendOnly = 0x400;
    private const uint OwnerOnly = 0x180; // 0600
    private const uint OwnerOnlyFolder = 0x1C0; // 0700

    private readonly SafeFileHandle handle;

    private ConfinedDirectory(string path, SafeFileHandle handle)
    {
        Path = path;
        this.handle = handle;
    }

    /// <summary>The folder's full path (for messages and for callers that name files by path).</summary>
    public string Path { get; }

    /// <summary>Opens the folder at <paramref name="path"/> (a link to it is the operator's choice and is followed once), creating it 0700 when <paramref name="create"/>.</summary>
    /// <exception cref="InfraDiffException">It is missing (and not to be created), not a folder, or cannot be opened.</exception>
    public static ConfinedDirectory Open(string path, bool create)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (create)
        {
            AtomicFile.CreateDirectory(full);
        }

        var handle = LinuxFile.Open(full, LinuxFile.PathOnly | LinuxFile.DirectoryOnly | LinuxFile.CloseOnExec, out var errno)
            ?? throw new InfraDiffException(errno switch
            {
                LinuxFile.ENOENT => $"{full}: no such folder",
                LinuxFile.ENOTDIR => $"{full}: not a folder",
                _ => $"{full}: cannot open the folder: {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        return new ConfinedDirectory(full, handle);
    }

    /// <summary>The full path of a name in the folder.</summary>
    public string FullPath(string name) => name.Length == 0 ? Path : System.IO.Path.Join(Path, name);

    /// <summary>A name's file type (<see cref="LinuxFile.TypeMask"/> bits, a link as a link), or null when nothing is there.</summary>
    public uint? TypeOf(string name)
    {
        var (folder, leaf) = Split(name);
        using var parent = OpenFolder(folder, name, missingIsNull: true);
        if (parent is null)
        {
            return null;
        }

        return LinuxFile.TryLStatAt(parent, NulTerminated(leaf), out var status, out _) ? status.Mode & LinuxFile.TypeMask : null;
    }

    /// <summary>
    /// A regular file's bytes, at most <paramref name="limit"/> of them; null when nothing is there (nor is any
    /// folder on the way).
    /// </summary>
    /// <exception cref="ConfinedFileException">It is a link, not a regular file, larger than the limit, or unreadable.</exception>
    public byte[]? Read(string name, long limit)
    {
        using var file = OpenFile(name, LinuxFile.ReadOnly | LinuxFile.NonBlock, 0, missingIsNull: true);
        if (file is null)
        {
            return null;
        }

        var length = RandomAccess.GetLength(file);
        if (length > limit)
        {
            throw new ConfinedFileException(name, $"{length:N0} bytes, more than the {limit:N0} it may have");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length && RandomAccess.Read(file, bytes.AsSpan(read), read) is var n and > 0)
        {
            read += n;
        }

        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>A regular file's lines (without their "\n"; a last line without one included), each at most <paramref name="maxLine"/> bytes, read a block at a time.</summary>
    /// <exception cref="ConfinedFileException">It is a link, not a regular file, or holds a line longer than the limit.</exception>
    public IEnumerable<byte[]> ReadLines(string name, int maxLine)
    {
        using var file = OpenFile(name, LinuxFile.ReadOnly | LinuxFile.NonBlock, 0, missingIsNull: true);
        if (file is null)
        {
            yield break;
        }

        var buffer = new byte[Math.Max(64 << 10, maxLine + 1)];
        var filled = 0;
        long offset = 0;
        var number = 0;
        while (true)
        {
            var n = RandomAccess.Read(file, buffer.AsSpan(filled), offset);
            offset += n;
            filled += n;
            var start = 0;
            int end;
            while ((end = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) >= 0)
            {
                number++;
                yield return buffer[start..(start + end)];
                start += end + 1;
            }

            if (filled - start > maxLine)
            {
                throw new ConfinedFileException(name, $"line {number + 1} is longer than {maxLine:N0} bytes");
            }

            if (n == 0)
            {
                if (filled > start)
                {
                    yield return buffer[start..filled];
                }

                yield break;
            }

            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }
    }

    /// <summary>
    /// Writes a file whole or not at all: a new temporary file (O_EXCL, 0600) beside it, flushed to disk (unless
    /// <paramref name="flush"/> is false: the caller then <see cref="Sync"/>s once after many), renamed over the name
    /// (a link there is replaced, not followed).
    /// </summary>
    /// <exception cref="ConfinedFileException">A folder on the way is a link or missing, or a folder has the name.</exception>
    public void Write(string name, ReadOnlySpan<byte> content, bool flush = true)
    {
        var (folder, leaf) = Split(name);
        using var parent = OpenFolder(folder, name, missingIsNull: false)!;
        var temporary = $".{leaf}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var file = OpenAt(parent, temporary, WriteOnly | Create | Exclusive, OwnerOnly, name, missingIsNull: false)!)
        {
            WriteAll(file, content, name, flush);
        }

        if (Native.renameat(Descriptor(parent), temporary, Descriptor(parent), leaf) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Native.unlinkat(Descriptor(parent), temporary, 0);
            throw new ConfinedFileException(name, Describe(errno));
        }
    }

    /// <summary>Appends to a regular file (created 0600 when missing) and flushes it to disk.</summary>
    /// <exception cref="ConfinedFileException">It is a link or not a regular file.</exception>
    public void Append(string name, ReadOnlySpan<byte> content)
    {
        using var file = OpenFile(name, WriteOnly | AppendOnly | Create | LinuxFile.NonBlock, OwnerOnly, missingIsNull: false)!;
        WriteAll(file, content, name, flush: true);
    }

    /// <summary>Flushes what was written without a flush (and everything else on the folder's filesystem) to disk: syncfs.</summary>
    /// <exception cref="ConfinedFileException">The filesystem reported a write error.</exception>
    public void Sync()
    {
        // Not on the O_PATH handle: syncfs needs a descriptor opened for reading.
        using var directory = OpenForReading("", out var errno) ?? throw new ConfinedFileException(Path, Describe(errno));
        if (Native.syncfs(Descriptor(directory)) != 0)
        {
            throw new ConfinedFileException(Path, Describe(Marshal.GetLastPInvokeError()));
        }
    }

    /// <summary>Removes a name (a link itself, never what it points to); nothing there is not an error.</summary>
    public void Delete(string name)
    {
        var (folder, leaf) = Split(name);
        using var parent = OpenFolder(folder, name, missingIsNull: true);
        if (parent is not null && Native.unlinkat(Descriptor(parent), leaf, 0) != 0 && Marshal.GetLastPInvokeError() is var errno and not LinuxFile.ENOENT)
        {
            throw new ConfinedFileException(name, Describe(errno));
        }
    }

    /// <summary>Renames an entry (a link or a folder moves as itself), replacing what <paramref name="to"/> named.</summary>
    public void Move(string from, string to)
    {
        var (fromFolder, fromLeaf) = Split(from);
        var (toFolder, toLeaf) = Split(to);
        using var source = OpenFolder(fromFolder, from, missingIsNull: false)!;
        using var target = OpenFolder(toFolder, to, missingIsNull: false)!;
        if (Native.renameat(Descriptor(source), fromLeaf, Descriptor(target), toLeaf) != 0)
        {
            throw new ConfinedFileException(from, Describe(Marshal.GetLastPInvokeError()));
        }
    }

    /// <summary>Makes a subfolder (0700) unless one is there.</summary>
    /// <exception cref="ConfinedFileException">Something else (a link, a file) has the name.</exception>
    public void CreateFolder(string name)
    {
        var (folder, leaf) = Split(name);
        using var parent = OpenFolder(folder, name, missingIsNull: false)!;
        if (Native.mkdirat(Descriptor(parent), leaf, OwnerOnlyFolder) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EEXIST)
        {
            throw new ConfinedFileException(name, Describe(errno));
        }

        if (TypeOf(name) is { } type && type != LinuxFile.TypeDirectory)
        {
            throw new ConfinedFileException(name, $"a {LinuxFile.KindOf(type)} where a folder belongs");
        }
    }

    /// <summary>A subfolder ("" for the folder itself) opened for reading its entries, reached without a link; null with the errno.</summary>
    private SafeFileHandle? OpenForReading(string folder, out int errno) =>
        LinuxFile.OpenBeneath(handle, folder.Length == 0 ? "." : folder, LinuxFile.ReadOnly | LinuxFile.DirectoryOnly | LinuxFile.CloseOnExec, 0, out errno);

    /// <summary>A subfolder's entries (name and type, a link as a link); empty when it is not there.</summary>
    /// <exception cref="ConfinedFileException">It, or a folder on the way, is a link or not a folder.</exception>
    public List<(string Name, uint Type)> List(string folder)
    {
        var entries = new List<(string, uint)>();
        using var directory = OpenForReading(folder, out var errno);
        if (directory is null)
        {
            return errno == LinuxFile.ENOENT ? entries : throw new ConfinedFileException(folder, Describe(errno));
        }

        foreach (var (name, type) in LinuxFile.Entries(directory))
        {
            entries.Add((name, type != 0 ? type : LinuxFile.TryLStatAt(directory, NulTerminated(name), out var status, out _) ? status.Mode & LinuxFile.TypeMask : 0));
        }

        return entries;
    }

    /// <summary>
    /// A lock on a regular file of the folder (flock, created 0600 when missing): exclusive or shared, null when
    /// another process holds it in a way that excludes this one. The kernel drops it when the holder dies.
    /// </summary>
    /// <exception cref="ConfinedFileException">It is a link or not a regular file.</exception>
    public SafeFileHandle? TryLock(string name, bool exclusive)
    {
        var file = OpenFile(name, ReadWrite | Create | LinuxFile.NonBlock, OwnerOnly, missingIsNull: false)!;
        if (Native.flock(Descriptor(file), (exclusive ? LockExclusive : LockShared) | LockNonBlocking) == 0)
        {
            return file;
        }

        var errno = Marshal.GetLastPInvokeError();
        file.Dispose();
        return errno == LinuxFile.EAGAIN ? null : throw new ConfinedFileException(name, Describe(errno));
    }

    public void Dispose() => handle.Dispose();

    private const int LockShared = 1;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int EEXIST = 17;
    private const int EISDIR = 21;

    private SafeFileHandle? OpenFile(string name, int flags, uint mode, bool missingIsNull)
    {
        var file = LinuxFile.OpenBeneath(handle, name, flags | LinuxFile.NoFollow | LinuxFile.CloseOnExec, mode, out var errno);
        if (file is null)
        {
            return errno == LinuxFile.ENOENT && missingIsNull ? null : throw new ConfinedFileException(name, Describe(errno));
        }

        var type = LinuxFile.ModeOf(file) & LinuxFile.TypeMask;
        if (type != LinuxFile.TypeRegular)
        {
            file.Dispose();
            throw new ConfinedFileException(name, $"a {LinuxFile.KindOf(type)}, not a regular file");
        }

        return file;
    }

    private static SafeFileHandle? OpenAt(SafeFileHandle parent, string leaf, int flags, uint mode, string name, bool missingIsNull)
    {
        var file = LinuxFile.OpenBeneath(parent, leaf, flags | LinuxFile.NoFollow | LinuxFile.CloseOnExec, mode, out var errno);
        return file ?? (errno == LinuxFile.ENOENT && missingIsNull ? null : throw new ConfinedFileException(name, Describe(errno)));
    }

    /// <summary>The folder holding a name, as a descriptor (O_PATH), reached without a link.</summary>
    private SafeFileHandle? OpenFolder(string folder, string name, bool missingIsNull)
    {
        var directory = LinuxFile.OpenBeneath(handle, folder.Length == 0 ? "." : folder, LinuxFile.PathOnly | LinuxFile.DirectoryOnly | LinuxFile.CloseOnExec, 0, out var errno);
        return directory ?? (errno == LinuxFile.ENOENT && missingIsNull ? null : throw new ConfinedFileException(name, Describe(errno)));
    }

    private static unsafe void WriteAll(SafeFileHandle file, ReadOnlySpan<byte> content, string name, bool flush)
    {
        fixed (byte* start = content)
        {
            for (var written = 0; written < content.Length;)
            {
                var n = Native.write(Descriptor(file), start + written, (nuint)(content.Length - written));
                if (n < 0)
                {
                    throw new ConfinedFileException(name, Describe(Marshal.GetLastPInvokeError()));
                }

                written += (int)n;
            }
        }

        if (flush && Native.fsync(Descriptor(file)) != 0)
        {
            throw new ConfinedFileException(name, Describe(Marshal.GetLastPInvokeError()));
        }
    }

    private static (string Folder, string Leaf) Split(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? ("", name) : (name[..slash], name[(slash + 1)..]);
    }

    private static byte[] NulTerminated(string leaf) => [.. HostPath.ToBytes(leaf), 0];

    private static int Descriptor(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    /// <summary>Why an operation failed, in words: a link met on the way first, since that is what the folder refuses.</summary>
    private static string Describe(int errno) => errno switch
    {
        LinuxFile.ELOOP or LinuxFile.EXDEV => "a symlink (or leads through one): not followed",
        LinuxFile.ENOENT => "not there",
        LinuxFile.ENOTDIR => "a file where a folder belongs",
        EISDIR => "a folder where a file belongs",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int renameat(int olddirfd, [MarshalUsing(typeof(HostPathMarshaller))] string oldpath, int newdirfd, [MarshalUsing(typeof(HostPathMarshaller))] string newpath);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int unlinkat(int dirfd, [MarshalUsing(typeof(HostPathMarshaller))] string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int mkdirat(int dirfd, [MarshalUsing(typeof(HostPathMarshaller))] string path, uint mode);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int flock(int fd, int operation);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint write(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int syncfs(int fd);
    }
}

/// <summary>A file or folder of a <see cref="ConfinedDirectory"/> that is not what it must be (a link, a FIFO, too large), by name.</summary>
internal sealed class ConfinedFileException(string name, string reason) : InfraDiffException($"{name}: {reason}")
{
    /// <summary>The name in the folder.</summary>
    public string Name { get; } = name;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
