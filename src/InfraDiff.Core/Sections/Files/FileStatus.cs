using InfraDiff.Host;
using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Sections.Files;

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
    public string OctalMode => OctalModes[Mode & 0xFFF] ??= Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    // One string per mode a scan meets, not two per path.
    private static readonly string?[] OctalModes = new string?[0x1000];

    /// <summary>lstat(2) through statx(2), whose structure is the same on every architecture; null when the path is gone.</summary>
    /// <exception cref="UnauthorizedAccessException">The path cannot be examined.</exception>
    public static FileStatus? LStat(string path) =>
        From(LinuxFile.TryLStat(path, out var buffer, out var errno), buffer, errno, path);

    /// <summary>lstat(2) of <paramref name="name"/> (NUL-terminated) in an open directory; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="UnauthorizedAccessException">The path cannot be examined.</exception>
    public static FileStatus? LStatAt(SafeFileHandle directory, ReadOnlySpan<byte> name, string path) =>
        From(LinuxFile.TryLStatAt(directory, name, out var buffer, out var errno), buffer, errno, path);

    private static FileStatus? From(bool ok, in LinuxFile.StatxBuffer buffer, int errno, string path)
    {
        if (!ok)
        {
            return errno switch
            {
                LinuxFile.ENOENT or LinuxFile.ENOTDIR => null,
                LinuxFile.EACCES => throw new UnauthorizedAccessException($"{path}: permission denied"),
                _ => throw new IOException($"{path}: statx failed with errno {errno}"),
            };
        }

        var kind = (buffer.Mode & LinuxFile.TypeMask) switch
        {
            LinuxFile.TypeRegular => FileKind.File,
            LinuxFile.TypeDirectory => FileKind.Directory,
            LinuxFile.TypeSymlink => FileKind.Symlink,
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
        var handle = LinuxFile.Open(path, LinuxFile.ReadOnly | LinuxFile.NonBlock | LinuxFile.NoFollow | LinuxFile.CloseOnExec, out var errno);
        if (handle is not null)
        {
            if ((LinuxFile.ModeOf(handle) & LinuxFile.TypeMask) == LinuxFile.TypeRegular)
            {
                return handle;
            }

            handle.Dispose();
            throw new FileNotFoundException($"{path}: no longer a regular file");
        }

        throw errno switch
        {
            LinuxFile.ENOENT or LinuxFile.ENOTDIR or LinuxFile.ELOOP => new FileNotFoundException($"{path}: gone or no longer a regular file"),
            LinuxFile.EACCES or LinuxFile.EPERM => new UnauthorizedAccessException($"{path}: permission denied"),
            _ => new IOException($"{path}: open failed with errno {errno}"),
        };
    }
}
