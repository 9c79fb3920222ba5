using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Host;

/// <summary>
/// The Linux system calls infradiff reads files with, where .NET's own calls would follow a link, block on a FIFO, or
/// take a lock, and those it unpacks a container image with (owners, devices, hard links).
/// </summary>
internal static partial class LinuxFile
{
    public const int ReadOnly = 0;
    public const int NonBlock = 0x800;
    public const int CloseOnExec = 0x80000;
    public const int PathOnly = 0x200000;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EPERM = 1;
    public const int ENOTDIR = 20;
    public const int ELOOP = 40;
    public const int ENOSYS = 38;
    public const int EINVAL = 22;
    public const int EXDEV = 18;
    public const int E2BIG = 7;
    public const int EAGAIN = 11;

    public const uint TypeMask = 0xF000;
    public const uint TypeRegular = 0x8000;
    public const uint TypeDirectory = 0x4000;
    public const uint TypeSymlink = 0xA000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7FF;
    private const long Openat2 = 437; // the same number on every architecture (new system calls are unified)
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const ulong ResolveInRoot = 0x10;

    /// <summary>O_NOFOLLOW, whose value differs between architectures.</summary>
    public static int NoFollow { get; } = IsArm ? 0x8000 : 0x20000;

    /// <summary>O_DIRECTORY, whose value differs between architectures.</summary>
    public static int DirectoryOnly { get; } = IsArm ? 0x4000 : 0x10000;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    /// <summary>getdents64's number: the old system calls are numbered per architecture (x86-64 and 32-bit Arm 217, arm64 61).</summary>
    private static long GetDents64 { get; } = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 61 : 217;

    /// <summary>open(2); the descriptor, or the errno as a negative number.</summary>
    public static SafeFileHandle? Open(string path, int flags, out int errno)
    {
        var descriptor = Native.open(path, flags);
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    /// <summary>
    /// openat2(2) with RESOLVE_IN_ROOT: <paramref name="path"/> is resolved under the directory <paramref name="root"/>
    /// as if it were "/", absolute symlinks and ".." included. errno ENOSYS (or EINVAL, E2BIG on an older kernel) when
    /// the kernel lacks it.
    /// </summary>
    public static SafeFileHandle? OpenInRoot(SafeFileHandle root, string path, int flags, out int errno)
    {
        var how = new OpenHow { Flags = (ulong)flags, Resolve = ResolveInRoot | ResolveNoMagicLinks };
        var descriptor = Native.syscall(Openat2, (int)root.DangerousGetHandle(), path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor < 0 ? null : new SafeFileHandle((IntPtr)descriptor, ownsHandle: true);
    }

    /// <summary>
    /// openat2(2) with RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS: <paramref name="path"/> is resolved under the directory
    /// <paramref name="directory"/> without leaving it and without following any link on the way (ELOOP or EXDEV
    /// instead); <paramref name="mode"/> for a file O_CREAT makes.
    /// </summary>
    public static SafeFileHandle? OpenBeneath(SafeFileHandle directory, string path, int flags, uint mode, out int errno)
    {
        var how = new OpenHow { Flags = (ulong)flags, Mode = mode, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
        var descriptor = Native.syscall(Openat2, (int)directory.DangerousGetHandle(), path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (descriptor < 0 && errno == ENOSYS)
        {
            // No openat2: a kernel before 5.6, or a seccomp filter that refuses it (systemd's RestrictSUIDSGID= does,
            // with ENOSYS, since it cannot see the mode inside open_how; the shipped unit sets it). The same rules, a
            // name at a time: no "..", no absolute path, O_NOFOLLOW on every name (ELOOP at a link).
            return OpenBeneathByNames(directory, path, flags, mode, out errno);
        }

        return descriptor < 0 ? null : new SafeFileHandle((IntPtr)descriptor, ownsHandle: true);
    }

    /// <summary>What <see cref="OpenBeneath"/> does where openat2 is refused: one name at a time, each opened with O_NOFOLLOW.</summary>
    internal static SafeFileHandle? OpenBeneathByNames(SafeFileHandle directory, string path, int flags, uint mode, out int errno)
    {
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(n => n != ".").ToArray();
        if (path.StartsWith('/') || names.Contains(".."))
        {
            errno = EXDEV;
            return null;
        }

        var current = directory;
        try
        {
            for (var i = 0; i < names.Length - 1; i++)
            {
                var next = Native.openat((int)current.DangerousGetHandle(), names[i], ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0);
                if (next < 0)
                {
                    // A link where a folder belongs is ENOTDIR to O_DIRECTORY; openat2 calls it ELOOP, and so does this.
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == ENOTDIR && Native.statx((int)current.DangerousGetHandle(), names[i], AtSymlinkNoFollow, StatxBasicStats, out var link) == 0 && (link.Mode & TypeMask) == TypeSymlink)
                    {
                        errno = ELOOP;
                    }

                    return null;
                }

                if (!ReferenceEquals(current, directory))
                {
                    current.Dispose();
                }

                current = new SafeFileHandle(next, ownsHandle: true);
            }

            var descriptor = Native.openat((int)current.DangerousGetHandle(), names.Length == 0 ? "." : names[^1], flags | NoFollow, mode);
            errno = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
            return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
        }
        finally
        {
            if (!ReferenceEquals(current, directory))
            {
                current.Dispose();
            }
        }
    }

    /// <summary>The file type and permission bits of an open descriptor (fstat through statx).</summary>
    public static uint ModeOf(SafeFileHandle handle)
    {
        if (Native.statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, out var buffer) != 0)
        {
            throw new IOException($"fstat failed with errno {Marshal.GetLastPInvokeError()}");
        }

        return buffer.Mode;
    }

    /// <summary>lstat(2) through statx(2), whose structure is the same on every architecture; false with the errno when it fails.</summary>
    public static bool TryLStat(string path, out StatxBuffer buffer, out int errno)
    {
        var ok = Native.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out buffer) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>
    /// lstat(2) of a name in an open directory, through statx(2): the kernel looks up one name, not the whole path
    /// again. <paramref name="name"/> ends with its NUL byte.
    /// </summary>
    public static unsafe bool TryLStatAt(SafeFileHandle directory, ReadOnlySpan<byte> name, out StatxBuffer buffer, out int errno)
    {
        bool ok;
        fixed (byte* path = name)
        {
            ok = Native.statxAt((int)directory.DangerousGetHandle(), path, AtSymlinkNoFollow, StatxBasicStats, out buffer) == 0;
        }

        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>
    /// getdents64(2): as many of an open directory's entries (struct linux_dirent64) as fit in <paramref name="buffer"/>;
    /// the bytes filled, 0 at the end, or the errno as a negative number.
    /// </summary>
    public static unsafe int ReadDirectory(SafeFileHandle directory, Span<byte> buffer)
    {
        long filled;
        fixed (byte* start = buffer)
        {
            filled = Native.getdents64(GetDents64, (int)directory.DangerousGetHandle(), start, (nuint)buffer.Length);
        }

        return filled < 0 ? -Marshal.GetLastPInvokeError() : (int)filled;
    }

    /// <summary>read(2) into <paramref name="buffer"/>: the bytes read, 0 at the end, or the errno as a negative number (-EAGAIN: nothing yet on a non-blocking descriptor).</summary>
    public static unsafe int Read(SafeFileHandle handle, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var n = Native.read((int)handle.DangerousGetHandle(), start, (nuint)buffer.Length);
            return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
        }
    }

    /// <summary>readlink(2): a symlink's target, written as <see cref="HostPath"/> writes a path; null when it cannot be read (gone, not a link).</summary>
    public static unsafe string? ReadLink(string path)
    {
        Span<byte> target = stackalloc byte[4096];
        nint length;
        fixed (byte* buffer = target)
        {
            length = Native.readlink(path, buffer, (nuint)target.Length);
        }

        return length < 0 ? null : HostPath.FromBytes(target[..(int)length]);
    }

    /// <summary>
    /// The entries of a directory (opened without following a link), each name as <see cref="HostPath"/> writes it and
    /// whether it is a directory (a symlink counts as what it points to, as a listing shows it); empty when it cannot be opened.
    /// </summary>
    public static List<(string Name, bool IsDirectory)> ListDirectory(string path)
    {
        using var handle = Open(path, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, out _);
        return handle is null ? [] : [.. Entries(handle).Select(e => (e.Name, e.Type == TypeDirectory || (e.Type is TypeSymlink or 0 && IsDirectory(path + "/" + e.Name))))];
    }

    /// <summary>
    /// An open directory's entries but "." and "..", read with getdents64: each name as <see cref="HostPath"/> writes
    /// it, and its type as <see cref="TypeMask"/> bits (a link as a link), 0 where the file system does not say.
    /// </summary>
    public static IEnumerable<(string Name, uint Type)> Entries(SafeFileHandle directory)
    {
        var buffer = new byte[32 << 10];
        int filled;
        while ((filled = ReadDirectory(directory, buffer)) > 0)
        {
            // struct linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), then the name and its NUL.
            for (var offset = 0; offset < filled; offset += MemoryMarshal.Read<ushort>(buffer.AsSpan(offset + 16)))
            {
                var record = buffer.AsSpan(offset + 19, MemoryMarshal.Read<ushort>(buffer.AsSpan(offset + 16)) - 19);
                var name = record[..record.IndexOf((byte)0)];
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    // DT_* is the file type's S_IF* bits shifted down: DT_REG 8 is S_IFREG 0x8000.
                    yield return (HostPath.FromBytes(name), (uint)buffer[offset + 18] << 12);
                }
            }
        }
    }

    /// <summary>Whether the path, its links followed, is a directory.</summary>
    private static bool IsDirectory(string path) => Native.statx(AtFdCwd, path, 0, StatxBasicStats, out var buffer) == 0 && (buffer.Mode & TypeMask) == TypeDirectory;

    /// <summary>lchown(2): the owner of the path itself, a symlink included; errno 0 on success.</summary>
    public static int LChown(string path, uint uid, uint gid) => Native.lchown(path, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>mknod(2) of a FIFO or a character or block device; errno 0 on success.</summary>
    public static int MakeNode(string path, uint mode, uint major, uint minor)
    {
        // glibc's makedev: the low 8 bits of the minor number, then 12 of the major, then the rest of each.
        var device = ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
        return Native.mknod(path, mode, device) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>link(2), which links a symlink itself rather than what it points to; errno 0 on success.</summary>
    public static int Link(string existing, string path) => Native.link(existing, path) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The kind of file a mode names, as a word for a message.</summary>
    public static string KindOf(uint mode) => (mode & TypeMask) switch
    {
        TypeRegular => "regular file",
        TypeDirectory => "directory",
        TypeSymlink => "symlink",
        0x1000 => "FIFO",
        0xC000 => "socket",
        0x2000 => "character device",
        0x6000 => "block device",
        _ => "special file",
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>struct statx (linux/stat.h), 256 bytes; only the fields infradiff reads are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(24)]
        public uint Gid;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long CTimeSeconds;

        [FieldOffset(104)]
        public uint CTimeNanoseconds;

        [FieldOffset(112)]
        public long MTimeSeconds;

        [FieldOffset(120)]
        public uint MTimeNanoseconds;

        [FieldOffset(128)]
        public uint RDevMajor;

        [FieldOffset(132)]
        public uint RDevMinor;

        [FieldOffset(136)]
        public uint DevMajor;

        [FieldOffset(140)]
        public uint DevMinor;
    }

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int statx(int dirfd, [MarshalUsing(typeof(HostPathMarshaller))] string path, int flags, uint mask, out StatxBuffer buffer);

        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
        internal static unsafe partial int statxAt(int dirfd, byte* path, int flags, uint mask, out StatxBuffer buffer);

        [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial long getdents64(long number, int directory, byte* buffer, nuint size);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int open([MarshalUsing(typeof(HostPathMarshaller))] string path, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int openat(int dirfd, [MarshalUsing(typeof(HostPathMarshaller))] string path, int flags, uint mode);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint read(int fd, byte* buffer, nuint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint readlink([MarshalUsing(typeof(HostPathMarshaller))] string path, byte* buffer, nuint size);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int lchown(string path, uint owner, uint group);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mknod(string path, uint mode, ulong device);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int link(string existing, string path);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial long syscall(long number, int dirfd, [MarshalUsing(typeof(HostPathMarshaller))] string path, ref OpenHow how, nuint size);
    }
}
