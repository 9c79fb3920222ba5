using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Host;

/// <summary>
/// The host's files as collectors see them: absolute host paths ("/etc/passwd") resolved under a root, so the
/// same collector reads the live system, a mounted image, or a test fixture tree.
/// </summary>
public interface IHostFileSystem
{
    /// <summary>The directory that stands for "/" ("/" on the live host).</summary>
    string Root { get; }

    /// <summary>The path on this machine that a host path names lexically, without resolving any link: for walkers that examine each link themselves.</summary>
    string MapPath(string hostPath);

    /// <summary>
    /// Opens a regular file for reading without blocking, the path resolved inside the root as chroot(2) would (an
    /// absolute symlink or ".." never leaves it); null when it does not exist.
    /// </summary>
    /// <exception cref="HostFileException">The path is a FIFO, socket, device or directory, or a symlink loop.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    SafeFileHandle? OpenFile(string hostPath);

    /// <summary>The real path on this machine of a directory, every link resolved inside the root as <see cref="OpenFile"/> does; null when there is none.</summary>
    string? ResolveDirectory(string hostPath);
}
