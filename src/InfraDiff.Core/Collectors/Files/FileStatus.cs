using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Collectors.Files;

/// <summary>The kinds of directory entry the files section distinguishes.</summary>
internal enum FileKind
{
    File,
    Directory,
    Symlink,
    Other,
}

/// <summary>What lstat says of a path: enough to describe it and to tell whether its content can have changed.</summary>
internal readonly partial record struct FileStatus(
    FileKind Kind,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    ulong Inode,
    ulong Device,
    long ModifiedNs,
    long ChangedNs)
{
    /// <summary>The permission bits with setuid, setgid and sticky, as a four-digit octal string ("4755").</summary>
    public string OctalMode => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    /// <summary>lstat(2) through statx(2), whose structure is the same on every architecture; null when the path is gone.</summary>
    /// <exception cref="UnauthorizedAccessException">The path cannot be examined.</exception>
    public static FileStatus? LStat(string path)
    {
        if (Native.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                ENOENT or ENOTDIR => null,
                EACCES => throw new UnauthorizedAccessException($"{path}: permission denied"),
                _ => throw new IOException($"{path}: statx failed with errno {errno}"),
            };
        }

        var kind = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.File,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            _ => FileKind.Other,
        };
        return new FileStatus(
            kind,
            buffer.Mode,
            buffer.Uid,
            buffer.Gid,
            (long)buffer.Size,
            buffer.Inode,
            ((ulong)buffer.DevMajor << 32) | buffer.DevMinor,
            (buffer.MTimeSeconds * 1_000_000_000) + buffer.MTimeNanoseconds,
            (buffer.CTimeSeconds * 1_000_000_000) + buffer.CTimeNanoseconds);
    }

    /// <summary>
    /// Opens a file to read its content: never through a symlink swapped in since lstat, never blocking on a FIFO
    /// swapped in, and without the advisory flock(2) that .NET takes on every file it opens.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path is gone, or is no longer a regular file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static SafeFileHandle OpenForReading(string path)
    {
        var descriptor = Native.open(path, ORdOnly | ONonBlock | ONoFollow | OCloExec);
        if (descriptor >= 0)
        {
            return new SafeFileHandle(descriptor, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            ENOENT or ENOTDIR or ELOOP => new FileNotFoundException($"{path}: gone or no longer a regular file"),
            EACCES or EPERM => new UnauthorizedAccessException($"{path}: permission denied"),
            _ => new IOException($"{path}: open failed with errno {errno}"),
        };
    }

    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int ONoFollow = 0x20000;
    private const int OCloExec = 0x80000;
    private const int EPERM = 1;
    private const int ELOOP = 40;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int ENOTDIR = 20;

    /// <summary>struct statx (linux/stat.h), 256 bytes; only the fields infradiff reads are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
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

        [FieldOffset(136)]
        public uint DevMajor;

        [FieldOffset(140)]
        public uint DevMinor;
    }

    private static partial class Native
    {
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags);
    }
}
