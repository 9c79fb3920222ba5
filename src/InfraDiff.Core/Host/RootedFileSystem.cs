using Microsoft.Win32.SafeHandles;

namespace InfraDiff.Host;

/// <summary>
/// A host file system rooted at a directory of this machine. Under a root other than "/", every path is resolved
/// inside it as chroot(2) would: openat2(2) with RESOLVE_IN_ROOT where the kernel has it, else a walk that
/// interprets each symlink relative to the root. Files are opened non-blocking and read only if regular.
/// </summary>
public sealed class RootedFileSystem : IHostFileSystem
{
    private const int MaxSymlinks = 40;

    /// <summary>Views the live host ("/").</summary>
    public static RootedFileSystem Live { get; } = new("/");

    /// <summary>The host's files under <paramref name="root"/>: <see cref="Live"/> for "/".</summary>
    internal static RootedFileSystem For(string root) => root == "/" ? Live : new RootedFileSystem(root);

    /// <summary>Views <paramref name="root"/> as the host's "/".</summary>
    public RootedFileSystem(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        if (Root.Length > 1)
        {
            Root = Root.TrimEnd('/');
        }
    }

    /// <inheritdoc />
    public string Root { get; }

    /// <summary>Whether to ask the kernel (openat2) to resolve paths; false resolves with the walk, as on a kernel without it (tests use both).</summary>
    internal bool UseKernelResolution { get; init; } = true;

    /// <inheritdoc />
    public string MapPath(string hostPath)
    {
        CheckHostPath(hostPath);
        return Root == "/" ? hostPath : Path.Join(Root, hostPath);
    }

    /// <inheritdoc />
    public SafeFileHandle? OpenFile(string hostPath)
    {
        var handle = Open(hostPath, LinuxFile.ReadOnly | LinuxFile.NonBlock | LinuxFile.CloseOnExec);
        if (handle is null)
        {
            return null;
        }

        var mode = LinuxFile.ModeOf(handle);
        if ((mode & LinuxFile.TypeMask) != LinuxFile.TypeRegular)
        {
            handle.Dispose();
            throw new HostFileException($"{hostPath} is a {LinuxFile.KindOf(mode)}, not a regular file: not read");
        }

        return handle;
    }

    /// <inheritdoc />
    public string? ResolveDirectory(string hostPath)
    {
        using var handle = Open(hostPath, LinuxFile.PathOnly | LinuxFile.CloseOnExec);
        if (handle is null || (LinuxFile.ModeOf(handle) & LinuxFile.TypeMask) != LinuxFile.TypeDirectory)
        {
            return null;
        }

        // The kernel's own name for what it opened: every link on the way resolved, inside the root by construction.
        return LinuxFile.ReadLink($"/proc/self/fd/{handle.DangerousGetHandle()}");
    }

    private SafeFileHandle? Open(string hostPath, int flags)
    {
        CheckHostPath(hostPath);
        SafeFileHandle? handle;
        int errno;
        if (Root == "/")
        {
            handle = LinuxFile.Open(hostPath, flags, out errno);
        }
        else if (UseKernelResolution && OpenInRoot(hostPath, flags, out errno) is var inRoot && errno is not (LinuxFile.ENOSYS or LinuxFile.EINVAL or LinuxFile.E2BIG or LinuxFile.EPERM))
        {
            handle = inRoot;
        }
        else
        {
            // No openat2 (older kernels, some seccomp filters): resolve each link by hand, then refuse any link at the end.
            var real = ResolveInRoot(hostPath);
            errno = LinuxFile.ENOENT;
            handle = real is null ? null : LinuxFile.Open(real, flags | LinuxFile.NoFollow, out errno);
        }

        return handle ?? errno switch
        {
            LinuxFile.ENOENT or LinuxFile.ENOTDIR => null,
            LinuxFile.EACCES or LinuxFile.EPERM => throw new UnauthorizedAccessException($"{hostPath}: permission denied"),
            LinuxFile.ELOOP => throw new HostFileException($"{hostPath}: too many levels of symbolic links"),
            _ => throw new HostFileException($"{hostPath}: cannot be opened (errno {errno})"),
        };
    }

    private SafeFileHandle? OpenInRoot(string hostPath, int flags, out int errno)
    {
        using var root = LinuxFile.Open(Root, LinuxFile.PathOnly | LinuxFile.CloseOnExec, out errno);
        if (root is null)
        {
            return null;
        }

        var relative = hostPath.TrimStart('/');
        return LinuxFile.OpenInRoot(root, relative.Length == 0 ? "." : relative, flags, out errno);
    }

    /// <summary>The real path a host path names, every symlink on the way interpreted inside the root; null when a component does not exist.</summary>
    internal string? ResolveInRoot(string hostPath)
    {
        var remaining = new Stack<string>(hostPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (remaining.TryPop(out var component))
        {
            if (component == ".")
            {
                continue;
            }

            if (component == "..")
            {
                // ".." at the root stays at the root, as it does in a chroot.
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = Root + "/" + string.Join('/', resolved.Append(component));
            if (!LinuxFile.TryLStat(candidate, out var status, out var errno))
            {
                return errno is LinuxFile.ENOENT or LinuxFile.ENOTDIR ? null
                    : errno == LinuxFile.EACCES ? throw new UnauthorizedAccessException($"{hostPath}: permission denied")
                    : throw new HostFileException($"{hostPath}: cannot be examined (errno {errno})");
            }

            if ((status.Mode & LinuxFile.TypeMask) != LinuxFile.TypeSymlink)
            {
                resolved.Add(component);
                continue;
            }

            if (++links > MaxSymlinks)
            {
                throw new HostFileException($"{hostPath}: too many levels of symbolic links");
            }

            var target = LinuxFile.ReadLink(candidate) ?? "";
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                remaining.Push(part);
            }
        }

        return resolved.Count == 0 ? Root : Root + "/" + string.Join('/', resolved);
    }

    private static void CheckHostPath(string hostPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        if (!hostPath.StartsWith('/'))
        {
            throw new ArgumentException($"'{hostPath}' is not an absolute host path", nameof(hostPath));
        }
    }
}
